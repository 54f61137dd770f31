"""Governors follow escalations with a durable consumer of their own, and catch up after being away."""

import asyncio
import contextlib
import json
import os
import subprocess
import sys

import pytest

from forum_shared.governors import ShownEscalations, readable, watch
from forum_shared.streams import ESCALATIONS_STREAM
from forum_shared.testing import read_stream, wait_for

from .services import start


async def escalate(fb, summary: str) -> str:
    feedback = {"text": f"About {summary}", "area": "Fenland", "themes": ["access"]}
    item = (await fb.client.post("/feedback", json=feedback)).json()
    escalation = {"summary": summary, "reason": "Staff judged it serious"}
    resp = await fb.staff.post(f"/feedback/{item['id']}/escalations", json=escalation)
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def kept_for_governors(server, count: int) -> bool:
    """Whether the governors' stream holds `count` escalations (read as its account's administrator)."""
    return len(await read_stream(server, ESCALATIONS_STREAM)) >= count


@contextlib.asynccontextmanager
async def watching(name: str, server, seen: list, shown: ShownEscalations | None = None):
    """`name` follows escalations with their own key, as `forum governors watch` does."""
    options = await server.add_governor(name)
    stop = asyncio.Event()
    task = asyncio.create_task(watch(name, server.url, seen.append, stop=stop, connect_options=options, shown=shown))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_governor_sees_each_escalation_once_even_those_raised_while_away(own_nats_server, database_url):
    async with await start("feedback", own_nats_server, database_url) as fb:
        seen: list = []
        async with watching("Alice Smith", own_nats_server, seen):
            first = await escalate(fb, "Long waits for the crisis team in Fenland")
            await wait_for(lambda: len(seen) == 1, what="first escalation seen")

        # Alice is offline while two more are raised and kept for the governors.
        second = await escalate(fb, "No interpreter at appointments")
        third = await escalate(fb, "Letters sent to the wrong address")
        await wait_for(lambda: kept_for_governors(own_nats_server, 3), what="both kept while Alice is away")
        assert len(seen) == 1

        async with watching("Alice Smith", own_nats_server, seen):
            await wait_for(lambda: len(seen) == 3, what="missed escalations caught up")
            # One raised now comes after them, in order: once it is seen, nothing before it came twice.
            fourth = await escalate(fb, "Clinic moved without notice")
            await wait_for(lambda: seen[-1].data.escalation_id == fourth, what="the one raised now")
        assert [e.data.escalation_id for e in seen] == [first, second, third, fourth]

        # Another governor has a place of their own and sees everything too.
        bob: list = []
        async with watching("Bob", own_nats_server, bob):
            await wait_for(lambda: len(bob) == 4, what="Bob catches up")

    text = readable(seen[0])
    assert "Long waits for the crisis team in Fenland" in text
    assert "Reason: Raised by staff" in text and "Staff judged it serious" not in text  # notes stay private
    assert "Area: Fenland" in text and "Linked feedback: 1" in text and "Respond by:" in text


async def test_the_watch_command_prints_escalations_as_json_for_programs(own_nats_server, database_url):
    async with await start("feedback", own_nats_server, database_url) as fb:
        escalation_id = await escalate(fb, "Ward phone unanswered at weekends")
        options = await own_nats_server.add_governor("carol")
        proc = subprocess.Popen(
            [sys.executable, "-m", "forum_shared.cli", "governors", "watch", "--name", "carol", "--json",
             "--nats-url", own_nats_server.url, "--seed", options["nkeys_seed"],
             "--state", str(own_nats_server.store_dir / "carol.seen")],
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=os.environ.copy(),
        )
        try:
            line = await asyncio.wait_for(asyncio.to_thread(proc.stdout.readline), 20)
        finally:
            proc.terminate()
            proc.wait(10)
        record = json.loads(line)
        assert record["type"] == "forum.feedback.issue_escalated.v1"
        assert record["data"]["escalation_id"] == escalation_id
        assert proc.returncode == 0


async def test_an_escalation_published_again_after_the_duplicate_window_is_shown_once(
    own_nats_server, deliver, tmp_path
):
    """JetStream forgets a message id after its duplicate window; the watch remembers what it showed."""
    from datetime import UTC, date, datetime

    from forum_shared.events import Envelope, IssueEscalated

    escalation = Envelope.wrap(IssueEscalated(escalation_id="esc-twice", summary="Shown once", reason="r",
                                              raised_by="staff", respond_by=date(2027, 1, 5),
                                              raised_at=datetime.now(UTC)), source="/forum/feedback")
    marker = Envelope.wrap(IssueEscalated(escalation_id="esc-marker", summary="After it", reason="r",
                                          raised_by="staff", respond_by=date(2027, 1, 5),
                                          raised_at=datetime.now(UTC)), source="/forum/feedback")
    state = tmp_path / "alice.seen"
    seen: list = []
    async with watching("Alice Smith", own_nats_server, seen, ShownEscalations(state)):
        await deliver(escalation)
        await deliver(escalation, again=True)  # the same event under a new message id
        await deliver(marker)
        await wait_for(lambda: [e for e in seen if e.data.escalation_id == "esc-marker"], what="the marker")
    assert [e.data.escalation_id for e in seen] == ["esc-twice", "esc-marker"]
    # Even a place made again from the start shows nothing twice: what was shown is kept on disk.
    nc = await own_nats_server.connect("admin-GOVERNORS")
    await nc.jetstream().delete_consumer("ESCALATIONS", "governor-alice-smith")
    await nc.close()
    again: list = []
    async with watching("Alice Smith", own_nats_server, again, ShownEscalations(state)):
        await deliver(Envelope.wrap(IssueEscalated(escalation_id="esc-new", summary="New", reason="r",
                                                   raised_by="staff", respond_by=date(2027, 1, 5),
                                                   raised_at=datetime.now(UTC)), source="/forum/feedback"))
        await wait_for(lambda: again, what="the new escalation")
    assert [e.data.escalation_id for e in again] == ["esc-new"]


async def test_a_governor_s_place_is_made_again_on_a_new_connection_if_a_reload_closed_the_first(nats_server):
    """Adding a governor reloads the server's configuration, which can close the administrator's
    connection in use: `forum governors add` (and `watch`, on the way) then starts again."""
    from forum_shared import governors

    made: list = []

    async def connect():
        nc = await nats_server.connect("admin-GOVERNORS")
        made.append(nc)
        if len(made) == 1:
            await nc.close()  # as the reload did
        return nc

    name = "Ada Okafor"
    nats_server.federation.add_governor(name)
    nats_server.reload()
    durable = await governors.give_place(connect, name, nats_server.federation.topology.accounts)
    assert len(made) == 2 and durable == governors.durable_name(name)


async def test_adding_a_governor_asks_again_while_the_reload_leaves_jetstream_unable_to_store_a_stream():
    """Just after a reload JetStream can answer "error creating store for stream" (a full test run
    on a busy machine met it): making the escalations stream is asked again; any other server
    error is not."""
    from nats.js.errors import ServerError

    from forum_shared import governors

    tries: list = []

    async def store_not_ready_once():
        tries.append(1)
        if len(tries) == 1:
            raise ServerError(code=500, err_code=governors.STORE_NOT_READY, description="error creating store")
        return "made"

    assert await governors.patiently(store_not_ready_once) == "made" and len(tries) == 2

    async def another_server_error():
        raise ServerError(code=500, err_code=10077, description="something else")

    with pytest.raises(ServerError):
        await governors.patiently(another_server_error, seconds=1)
