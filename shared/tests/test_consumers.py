"""Idempotent consumers and dead letters, over a real nats-server."""

import contextlib
from datetime import UTC, datetime

import httpx
import nats

from forum_shared.events import Envelope, FeedbackReceived
from forum_shared.identity import tokens
from forum_shared.messaging import fetch_ready
from forum_shared.testing import RunningService, wait_for

from .conftest import Toy, create_tables, make_kit, seen


@contextlib.asynccontextmanager
async def toy_service(database_url, nats_url):
    kit = make_kit(await database_url("toy"), nats_url)
    await create_tables(kit.db)
    app = kit.create_app()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://toy") as public,
    ):
        service = RunningService(app, public)
        staff = await service.as_role("staff")
        await wait_for(lambda: kit.messaging.subscribed == {"toy-count_feedback"}, what="toy subscribed")
        try:
            yield kit, staff
        finally:
            await service.aclose()


@contextlib.asynccontextmanager
async def feedback_stream(nats_url):
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])

    async def send(envelope: Envelope, *, msg_id: str | None = None, body: bytes | None = None) -> None:
        headers = envelope.headers()
        headers["Nats-Msg-Id"] = msg_id or envelope.id
        await js.publish(envelope.subject, body if body is not None else envelope.body(), headers=headers)

    try:
        yield send
    finally:
        await nc.close()


def feedback_event(area: str = "Cambridge") -> Envelope:
    event = FeedbackReceived(feedback_id=area, received_at=datetime.now(UTC), channel="online", area=area)
    return Envelope.wrap(event, source="/forum/feedback")


async def test_the_same_event_delivered_twice_changes_state_once(own_nats_server, database_url):
    async with (
        feedback_stream(own_nats_server.url) as send,
        toy_service(database_url, own_nats_server.url) as (kit, _),
    ):
        envelope = feedback_event()
        await send(envelope)
        # A redelivery (same event id; a new NATS message id so JetStream does not drop it first).
        await send(envelope, msg_id="redelivered")
        later = feedback_event("Ely")
        await send(later)
        await wait_for(lambda: _inbox_has(kit, later.id), what="later event processed")
        assert await seen(kit.db) == 2


async def _inbox_has(kit, event_id: str) -> bool:
    from sqlalchemy import select

    from forum_shared.tables import inbox

    async with kit.db.read() as session:
        return bool(await session.scalar(select(inbox.c.event_id).where(inbox.c.event_id == event_id)))


async def test_a_poison_event_is_dead_lettered_after_its_retries_and_replayed_after_the_fix(
    own_nats_server, database_url
):
    Toy.broken_for = "Wisbech"
    async with (
        feedback_stream(own_nats_server.url) as send,
        toy_service(database_url, own_nats_server.url) as (kit, client),
    ):
        poison = feedback_event("Wisbech")
        await send(poison)
        healthy = feedback_event("March")
        await send(healthy)

        async def dead() -> list:
            return (await client.get("/dead-letters")).json()

        letters = await wait_for(dead, what="a dead letter")
        await wait_for(lambda: _inbox_has(kit, healthy.id), what="the next event still processed")
        assert await seen(kit.db) == 1
        [letter] = letters
        assert letter["event_id"] == poison.id
        assert letter["attempts"] == kit.settings.max_deliver == 3
        assert "cannot handle area Wisbech" in letter["error"]

        still_broken = await client.post(f"/dead-letters/{letter['id']}/replay")
        assert still_broken.status_code == 409
        assert "cannot handle area Wisbech" in still_broken.json()["detail"]

        Toy.broken_for = None  # the fix
        replayed = await client.post(f"/dead-letters/{letter['id']}/replay")
        assert replayed.status_code == 200, replayed.text
        assert replayed.json()["status"] == "replayed"
        assert await seen(kit.db) == 2
        assert (await client.get("/dead-letters")).json() == []
        again = await client.post(f"/dead-letters/{letter['id']}/replay")
        assert again.status_code == 200 and await seen(kit.db) == 2


async def test_a_malformed_event_is_dead_lettered_at_once_with_a_readable_error(own_nats_server, database_url):
    async with (
        feedback_stream(own_nats_server.url) as send,
        toy_service(database_url, own_nats_server.url) as (kit, client),
    ):
        await send(feedback_event(), body=b'{"feedback_id": 42}')

        async def dead() -> list:
            return (await client.get("/dead-letters")).json()

        [letter] = await wait_for(dead, what="a dead letter")
        assert letter["attempts"] == 1
        assert "invalid event payload" in letter["error"] and "received_at" in letter["error"]
        assert (await client.post("/dead-letters/999/replay")).status_code == 404


async def test_dead_letters_are_for_staff_only_and_each_replay_is_in_the_audit_log(own_nats_server, database_url):
    Toy.broken_for = "Wisbech"
    async with (
        feedback_stream(own_nats_server.url) as send,
        toy_service(database_url, own_nats_server.url) as (kit, staff),
    ):
        poison = feedback_event("Wisbech")
        await send(poison)

        async def dead() -> list:
            return (await staff.get("/dead-letters")).json()

        [letter] = await wait_for(dead, what="a dead letter")
        async with httpx.AsyncClient(transport=staff._transport, base_url="http://toy") as public:
            assert (await public.get("/dead-letters")).status_code == 401
            assert (await public.post(f"/dead-letters/{letter['id']}/replay")).status_code == 401
            page = await public.get("/staff/dead-letters", headers={"accept": "text/html"})
            assert page.status_code == 303 and page.headers["location"].startswith("/sign-in")
        async with kit.db.transaction() as session:
            _row, token = await tokens.create_token(session, name="Governors' program", role="governor", actor="system")
        governor = {"authorization": f"Bearer {token}"}
        assert (await staff.get("/dead-letters", headers=governor)).status_code == 403

        page = await staff.get("/staff/dead-letters", headers={"accept": "text/html"})
        assert page.status_code == 200
        assert poison.id in page.text and "cannot handle area Wisbech" in page.text

        Toy.broken_for = None
        assert (await staff.post(f"/dead-letters/{letter['id']}/replay")).status_code == 200
        audit = (await staff.get("/audit-log", params={"action": "dead_letter.replayed"})).json()
        [entry] = audit["items"]
        assert entry["target"] == f"dead_letter:{letter['id']}" and entry["actor"].startswith("token:")
        replayed = await staff.get(
            "/staff/dead-letters", params={"status": "replayed"}, headers={"accept": "text/html"}
        )
        assert f"Dead letter {letter['id']}" in replayed.text


async def test_the_inbox_forgets_only_what_the_streams_can_no_longer_deliver(database_url):
    from datetime import timedelta

    from sqlalchemy import insert, select

    from forum_shared.consumers import prune_inbox
    from forum_shared.tables import inbox

    kit = make_kit(await database_url("toy"), "nats://127.0.0.1:1")
    await create_tables(kit.db)
    now = datetime.now(UTC)
    async with kit.db.transaction() as session:
        for event_id, age in (("old", 400), ("kept", 300), ("new", 0)):
            await session.execute(insert(inbox).values(consumer="toy-count_feedback", event_id=event_id,
                                                       processed_at=now - timedelta(days=age)))
    assert await prune_inbox(kit.db, keep=timedelta(days=366)) == 1
    async with kit.db.read() as session:
        assert set(await session.scalars(select(inbox.c.event_id))) == {"kept", "new"}
    await kit.db.dispose()


async def test_a_batch_commits_as_one_and_a_failing_event_undoes_only_itself(database_url):
    from sqlalchemy import func, select

    from forum_shared.consumers import process_batch
    from forum_shared.tables import inbox

    from .conftest import toy_consumers

    kit = make_kit(await database_url("toy"), "nats://127.0.0.1:1")
    await create_tables(kit.db)
    [consumer] = list(toy_consumers)
    Toy.broken_for = "broken"
    first, broken, last = feedback_event("first"), feedback_event("broken"), feedback_event("last")
    results = await process_batch(kit.db, consumer, [(first, 1), (broken, 2), (last, 3), (first, 4)])
    assert [type(r).__name__ if r else None for r in results] == [None, "RuntimeError", None, None]
    assert await seen(kit.db) == 2  # first and last, once each; the broken one left nothing
    async with kit.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(inbox)) == 2
    Toy.broken_for = None
    assert await process_batch(kit.db, consumer, [(broken, 2), (last, 3)]) == [None, None]
    assert await seen(kit.db) == 3
    await kit.db.dispose()


async def test_each_event_is_handled_once_within_a_batch_across_batches_and_across_replicas(database_url):
    """The inbox claims a batch's events in one statement: an event the batch holds twice, one an
    earlier batch handled, and one a replica claims at the same moment are each handled once."""
    import asyncio

    from forum_shared.consumers import process_batch

    from .conftest import toy_consumers

    url = await database_url("toy")
    kit, replica = make_kit(url, "nats://127.0.0.1:1"), make_kit(url, "nats://127.0.0.1:1")
    await create_tables(kit.db)
    [consumer] = list(toy_consumers)
    events = [feedback_event(f"area {n}") for n in range(6)]
    assert await process_batch(kit.db, consumer, [(events[0], 1), (events[1], 2), (events[0], 3)]) == [None] * 3
    assert await seen(kit.db) == 2
    assert await process_batch(kit.db, consumer, [(e, n) for n, e in enumerate(events[1:4], start=4)]) == [None] * 3
    assert await seen(kit.db) == 4
    both = [(e, n) for n, e in enumerate(events, start=7)]
    results = await asyncio.gather(process_batch(kit.db, consumer, both), process_batch(replica.db, consumer, both))
    assert results == [[None] * 6, [None] * 6]
    assert await seen(kit.db) == 6
    await kit.db.dispose()
    await replica.db.dispose()


async def test_a_consumer_far_behind_takes_larger_batches_and_one_in_step_takes_what_is_there(own_nats_server):
    nc = await nats.connect(own_nats_server.url)
    try:
        js = nc.jetstream()
        await js.add_stream(name="BACKLOG", subjects=["backlog.>"])
        for n in range(400):
            await js.publish("backlog.event", str(n).encode())
        sub = await js.pull_subscribe("backlog.>", durable="reader", stream="BACKLOG")
        taken = [len(await fetch_ready(sub, 10, timeout=1, catching_up=300)) for _ in range(4)]
        # 399 waiting behind the first: far behind; then 99 (fewer than 300): a batch of 10 at a time.
        assert taken == [300, 10, 10, 10]
        assert len(await fetch_ready(sub, 10, timeout=1)) == 10  # without `catching_up`, never more
    finally:
        await nc.close()
