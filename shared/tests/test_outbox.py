"""The transactional outbox: atomic with the change, nothing lost in an outage, no duplicates."""

import asyncio
import contextlib
import uuid

import pytest
from sqlalchemy import event, func, select

from forum_shared.db import Database
from forum_shared.events import MemberJoined
from forum_shared.outbox import OutboxRelay, forget, pending_count
from forum_shared.tables import outbox
from forum_shared.testing import read_stream, wait_for

from .conftest import add_note, create_tables, make_kit, notes

SUBJECT = MemberJoined.subject()


async def ids_in_stream(nats_url: str) -> list[str]:
    messages = await read_stream(nats_url, "MEMBERSHIP", SUBJECT)
    return [MemberJoined.model_validate_json(m.data).member_id for m in messages]


@contextlib.asynccontextmanager
async def running(database_url: str, nats_url: str, *, first: str | None = None, **settings):
    """The toy kit running and connected to NATS; with `first`, that note's event published first
    (the relay has then read its table, and takes what it is handed)."""
    kit = make_kit(database_url, nats_url, **settings)
    await create_tables(kit.db)
    async with kit.running():
        await wait_for(lambda: kit.messaging.ready, what="connected")
        if first is not None:
            async with kit.db.transaction() as session:
                await add_note(session, first)
            await wait_for(lambda: _published(kit), what=f"{first} published")
        yield kit


async def test_a_change_and_its_event_commit_together_or_not_at_all(own_nats_server, database_url):
    kit = make_kit(await database_url("toy"), own_nats_server.url)
    await create_tables(kit.db)
    with pytest.raises(RuntimeError):
        async with kit.db.transaction() as session:
            await add_note(session, "rolled-back")
            raise RuntimeError("something failed after the event was recorded")
    async with kit.db.transaction() as session:
        await add_note(session, "kept")
    async with kit.db.read() as session:
        assert await session.scalar(select(func.count()).select_from(notes)) == 1
        rows = (await session.execute(select(outbox.c.body))).scalars().all()
    assert len(rows) == 1 and '"kept"' in rows[0]
    await kit.db.dispose()


async def test_with_nats_down_changes_succeed_and_events_are_published_once_in_order_when_it_returns(
    own_nats_server, database_url
):
    async with running(await database_url("toy"), own_nats_server.url, first="before-outage") as kit:
        own_nats_server.stop()
        await wait_for(lambda: not kit.messaging.ready, what="disconnect noticed")
        during = [f"during-{i}" for i in range(20)]
        for note_id in during:
            async with kit.db.transaction() as session:
                await add_note(session, note_id)
        assert await pending_count(kit.db) == 20

        own_nats_server.start()
        await wait_for(lambda: _published(kit), timeout=30, what="backlog published")
    assert await ids_in_stream(own_nats_server.url) == ["before-outage", *during]


async def _in_stream(nats_url: str, note_id: str) -> bool:
    return note_id in await ids_in_stream(nats_url)


async def _published(kit) -> bool:
    return await pending_count(kit.db) == 0


async def test_a_relay_that_died_between_publish_and_mark_creates_no_duplicate(own_nats_server, database_url):
    kit = make_kit(await database_url("toy"), own_nats_server.url)
    await create_tables(kit.db)
    async with kit.db.transaction() as session:
        await add_note(session, "published-then-crashed")
        await add_note(session, "next")
    await kit.messaging.broker.connect()
    await kit.messaging.declare_own_stream()
    async with kit.db.read() as session:
        first = (await session.execute(select(outbox).order_by(outbox.c.position).limit(1))).one()
    # The relay published the first row and died before marking it.
    await kit.messaging.publish(first.subject, first.body.encode(), dict(first.headers))
    assert await pending_count(kit.db) == 2

    relay = OutboxRelay(kit.db, kit.messaging.send, poll_seconds=0.1)
    assert await relay.publish_pending() == 2
    assert await ids_in_stream(own_nats_server.url) == ["published-then-crashed", "next"]
    await kit.messaging.stop()
    await kit.db.dispose()


async def test_the_relay_wakes_on_commit_rather_than_waiting_for_its_timer(own_nats_server, database_url):
    async with running(await database_url("toy"), own_nats_server.url, outbox_poll_seconds=60) as kit:
        await asyncio.sleep(0.3)  # let the relay go to sleep on its 60 s timer
        async with kit.db.transaction() as session:
            await add_note(session, "wake-up")
        await wait_for(lambda: _published(kit), timeout=5, what="published without waiting 60 s")


@pytest.mark.postgres
async def test_replicas_share_the_outbox_each_event_published_once_in_order(own_nats_server, postgres_database_url):
    url = await postgres_database_url("toy")
    kits = [make_kit(url, own_nats_server.url) for _ in range(3)]
    await create_tables(kits[0].db)
    ids = [f"note-{i:03d}-{uuid.uuid4().hex[:4]}" for i in range(150)]
    for kit in kits:
        await kit.messaging.broker.connect()
    await kits[0].messaging.declare_own_stream()
    for note_id in ids:
        async with kits[0].db.transaction() as session:
            await add_note(session, note_id)
    relays = [OutboxRelay(k.db, k.messaging.send, poll_seconds=0.05, batch_size=7) for k in kits]
    tasks = [asyncio.create_task(r.run()) for r in relays]
    await wait_for(lambda: _published(kits[0]), timeout=30, what="all published")
    for task in tasks:
        task.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    assert await ids_in_stream(own_nats_server.url) == ids
    for kit in kits:
        await kit.messaging.stop()
        await kit.db.dispose()


async def kit_with_notes(database_url: str, count: int):
    """The toy kit, not connected to NATS, with `count` notes committed one at a time."""
    kit = make_kit(database_url, "nats://127.0.0.1:1")
    await create_tables(kit.db)
    for n in range(count):
        async with kit.db.transaction() as session:
            await add_note(session, f"note-{n}")
    return kit


async def test_with_a_batch_in_flight_only_the_acknowledged_prefix_is_marked_and_the_rest_follows_in_order(
    database_url,
):
    kit = await kit_with_notes(await database_url("toy"), 5)
    sent: list[str] = []

    async def send(subject, body, headers):
        """Sends at once; the third acknowledgement of the first round never comes."""
        sent.append(MemberJoined.model_validate_json(body).member_id)
        ack = asyncio.get_running_loop().create_future()
        if len(sent) == 3:
            ack.set_exception(TimeoutError("no acknowledgement"))
        else:
            ack.set_result(None)
        return ack

    relay = OutboxRelay(kit.db, send)
    with pytest.raises(TimeoutError):
        await relay.publish_pending()
    assert await pending_count(kit.db) == 3  # the fourth and fifth were sent, but wait behind the third
    assert await relay.publish_pending() == 3
    assert sent == [f"note-{n}" for n in range(5)] + [f"note-{n}" for n in (2, 3, 4)]
    await kit.db.dispose()


@pytest.mark.postgres
async def test_on_postgresql_one_claim_publishes_batch_after_batch_and_a_failure_keeps_what_went_before(
    postgres_database_url,
):
    kit = await kit_with_notes(await postgres_database_url("toy"), 10)
    sent: list[str] = []

    async def send(subject, body, headers):
        """Acknowledges a moment later (so the next batch is claimed meanwhile); the eighth
        acknowledgement of the first round never comes."""
        sent.append(MemberJoined.model_validate_json(body).member_id)
        ack = asyncio.get_running_loop().create_future()
        failing = len(sent) == 8

        def answer() -> None:
            if failing:
                ack.set_exception(TimeoutError("no acknowledgement"))
            else:
                ack.set_result(None)

        asyncio.get_running_loop().call_later(0.02, answer)
        return ack

    relay = OutboxRelay(kit.db, send, batch_size=3, commit_seconds=60)
    with pytest.raises(TimeoutError):
        await relay.publish_pending()
    # Three batches went out in one transaction, each claimed while the one before was in
    # flight (none twice); the first two and the acknowledged start of the third were marked.
    assert sent == [f"note-{n}" for n in range(9)]
    assert await pending_count(kit.db) == 3
    sent.clear()
    assert await relay.publish_pending() == 3
    assert sent == ["note-7", "note-8", "note-9"]
    assert await pending_count(kit.db) == 0
    await kit.db.dispose()


async def test_on_sqlite_the_relay_publishes_what_was_committed_without_reading_it_back_and_marks_in_batches(
    own_nats_server, tmp_path
):
    statements: list[str] = []
    ids = [f"note-{n}" for n in range(30)]
    async with running(f"sqlite+aiosqlite:///{tmp_path}/toy.db", own_nats_server.url, first="note-first") as kit:
        event.listen(kit.db.engine.sync_engine, "before_cursor_execute",
                     lambda _conn, _cursor, sql, *_: statements.append(" ".join(sql.split())))
        for note_id in ids:
            async with kit.db.transaction() as session:
                await add_note(session, note_id)
            await asyncio.sleep(0.005)  # one at a time, as a person's requests come
        await wait_for(lambda: _published(kit), what="all published and marked")
        relay_reads = [s for s in statements if s.startswith(("SELECT outbox.position", "SELECT max(outbox.position)"))]
        marks = [s for s in statements if s.startswith("UPDATE outbox SET published_at")]
    assert await ids_in_stream(own_nats_server.url) == ["note-first", *ids]
    # Without the hand-over it would read (and mark) once for each of the 30 commits.
    assert len(marks) < 10, marks
    assert len(relay_reads) < 10, relay_reads


async def test_a_row_another_process_wrote_in_between_is_published_in_its_place(own_nats_server, database_url):
    url = await database_url("toy")
    command = Database(url)  # e.g. `forum admin create`, writing to the same database
    async with running(url, own_nats_server.url, first="ours-1") as kit:
        for note_id, db in (("the-command-s", command), ("ours-2", kit.db)):
            async with db.transaction() as session:
                await add_note(session, note_id)
        await wait_for(lambda: _published(kit), timeout=10, what="all three published")
    assert await ids_in_stream(own_nats_server.url) == ["ours-1", "the-command-s", "ours-2"]
    await command.dispose()


async def test_an_event_erased_or_rolled_back_to_a_savepoint_before_the_relay_got_to_it_is_never_published(
    own_nats_server, database_url
):
    kit = make_kit(await database_url("toy"), own_nats_server.url)
    await create_tables(kit.db)
    await kit.messaging.broker.connect()
    await kit.messaging.declare_own_stream()
    relay = OutboxRelay(kit.db, kit.messaging.send)
    assert await relay.publish_pending() == 0  # it has read the table: it now takes what it is handed
    async with kit.db.transaction() as session:
        await add_note(session, "erased-person")
    async with kit.db.transaction() as session:
        await forget(session, "erased-person")
    async with kit.db.transaction() as session:
        await add_note(session, "kept-1")
        savepoint = await session.begin_nested()
        await add_note(session, "rolled-back")
        await savepoint.rollback()
        await add_note(session, "kept-2")
    assert await relay.publish_pending() == 2
    assert await ids_in_stream(own_nats_server.url) == ["kept-1", "kept-2"]
    assert await pending_count(kit.db) == 0
    await kit.messaging.stop()
    await kit.db.dispose()


async def test_on_sqlite_a_relay_that_stops_marks_what_it_published(own_nats_server, tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path}/toy.db"
    async with running(url, own_nats_server.url, first="read-from-the-table", outbox_poll_seconds=60) as kit:
        kit.relay.mark_seconds = 60  # nothing would be due for a minute
        async with kit.db.transaction() as session:
            await add_note(session, "published-then-stopped")
        await wait_for(lambda: kit.relay._unmarked, what="acknowledged by JetStream, not yet marked")
        assert await pending_count(kit.db) == 1
    assert await pending_count(kit.db) == 0


async def test_an_event_that_takes_the_place_of_an_erased_one_not_yet_marked_is_still_published(
    own_nats_server, database_url
):
    async with running(await database_url("toy"), own_nats_server.url, first="someone-else") as kit:
        kit.relay.mark_seconds = 60  # what it is handed now is published, and not yet marked
        async with kit.db.transaction() as session:
            await add_note(session, "erased-person")
        await wait_for(lambda: _in_stream(own_nats_server.url, "erased-person"), what="published")
        # SQLite gives the last row's position to the next row once the last row is deleted.
        async with kit.db.transaction() as session:
            await forget(session, "erased-person")
            await add_note(session, "after-the-erasure")
        await wait_for(lambda: _published(kit), timeout=10, what="the new event published")
    assert await ids_in_stream(own_nats_server.url) == ["someone-else", "erased-person", "after-the-erasure"]


async def test_an_erasure_while_the_relay_waits_for_an_acknowledgement_still_makes_it_read_the_table(tmp_path):
    kit = make_kit(f"sqlite+aiosqlite:///{tmp_path}/toy.db", "nats://127.0.0.1:1")
    await create_tables(kit.db)
    sent: list[str] = []
    held: list[asyncio.Future] = []

    async def send(subject, body, headers):
        sent.append(MemberJoined.model_validate_json(body).member_id)
        ack = asyncio.get_running_loop().create_future()
        if len(sent) == 1:
            held.append(ack)  # JetStream is slow to acknowledge the first
        else:
            ack.set_result(None)
        return ack

    relay = OutboxRelay(kit.db, send)
    assert await relay.publish_pending() == 0  # it has read the table: it now takes what it is handed
    async with kit.db.transaction() as session:
        await add_note(session, "erased-person")
    publishing = asyncio.create_task(relay.publish_pending())
    await wait_for(lambda: held, what="the first sent")
    async with kit.db.transaction() as session:  # the new row takes the erased one's position
        await forget(session, "erased-person")
        await add_note(session, "after-the-erasure")
    held[0].set_result(None)
    assert await publishing == 1
    async with kit.db.transaction() as session:
        await add_note(session, "later")
    while await relay.publish_pending():
        pass
    assert sent == ["erased-person", "after-the-erasure", "later"]
    await kit.db.dispose()
