"""Governors follow escalations with a durable consumer of their own, and catch up after being away."""

import asyncio
import contextlib
import json
import os
import subprocess
import sys

from forum_shared.governors import readable, watch
from forum_shared.testing import wait_for

from .services import start


async def escalate(fb, summary: str) -> str:
    item = (await fb.client.post("/feedback", json={"text": f"About {summary}", "area": "Fenland", "themes": ["access"]})).json()
    resp = await fb.staff.post(f"/feedback/{item['id']}/escalations", json={"summary": summary, "reason": "Staff judged it serious"})
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


@contextlib.asynccontextmanager
async def watching(name: str, nats_url: str, seen: list):
    stop = asyncio.Event()
    task = asyncio.create_task(watch(name, nats_url, seen.append, stop=stop))
    try:
        yield
    finally:
        stop.set()
        await asyncio.wait_for(task, 10)


async def test_a_governor_sees_each_escalation_once_even_those_raised_while_away(own_nats_server, database_url):
    async with await start("feedback", own_nats_server, database_url) as fb:
        seen: list = []
        async with watching("Alice Smith", own_nats_server.url, seen):
            first = await escalate(fb, "Long waits for the crisis team in Fenland")
            await wait_for(lambda: len(seen) == 1, what="first escalation seen")

        # Alice is offline while two more are raised.
        second = await escalate(fb, "No interpreter at appointments")
        third = await escalate(fb, "Letters sent to the wrong address")
        await asyncio.sleep(0.5)
        assert len(seen) == 1

        async with watching("Alice Smith", own_nats_server.url, seen):
            await wait_for(lambda: len(seen) == 3, what="missed escalations caught up")
            await asyncio.sleep(0.5)
        assert [e.data.escalation_id for e in seen] == [first, second, third]

        # Another governor has a place of their own and sees everything too.
        bob: list = []
        async with watching("Bob", own_nats_server.url, bob):
            await wait_for(lambda: len(bob) == 3, what="Bob catches up")

    text = readable(seen[0])
    assert "Long waits for the crisis team in Fenland" in text
    assert "Reason: Staff judged it serious" in text
    assert "Area: Fenland" in text and "Linked feedback: 1" in text and "Respond by:" in text


async def test_the_watch_command_prints_escalations_as_json_for_programs(own_nats_server, database_url):
    async with await start("feedback", own_nats_server, database_url) as fb:
        escalation_id = await escalate(fb, "Ward phone unanswered at weekends")
        proc = subprocess.Popen(
            [sys.executable, "-m", "forum_shared.cli", "governors", "watch", "--name", "carol", "--json",
             "--nats-url", own_nats_server.url],
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
