"""The order the outbox promises, under contention on PostgreSQL: many writers at once change the
same few aggregates, two relays publish, and in the stream each aggregate's events stand in the
order their transactions committed."""

import asyncio
import random
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, String, Table, insert, select, text

from forum_shared import outbox
from forum_shared.db import new_metadata
from forum_shared.events import MemberJoined
from forum_shared.outbox import OutboxRelay
from forum_shared.testing import read_stream, wait_for

from .conftest import create_tables, make_kit

AGGREGATES = [f"member-{n}" for n in range(4)]
EVENTS = 240
WRITERS = 16

order_metadata = new_metadata()
# Per aggregate, the order its transactions committed in: each takes the next number from its
# counter row after recording its event, and holds that row's lock until it commits.
counters = Table("counters", order_metadata, Column("aggregate", String(50), primary_key=True),
                 Column("n", Integer, nullable=False))
committed = Table("committed", order_metadata, Column("event_id", String(36), primary_key=True),
                  Column("aggregate", String(50), nullable=False), Column("n", Integer, nullable=False))


async def write(db, aggregate: str) -> None:
    async with db.transaction() as session:
        envelope = await outbox.record(session, MemberJoined(member_id=aggregate, joined_at=datetime.now(UTC)))
        await asyncio.sleep(random.uniform(0, 0.01))  # the rest of a request's work, taking its time
        n = await session.scalar(
            text("UPDATE counters SET n = n + 1 WHERE aggregate = :a RETURNING n"), {"a": aggregate}
        )
        await session.execute(insert(committed).values(event_id=envelope.id, aggregate=aggregate, n=n))


@pytest.mark.postgres
async def test_each_aggregate_s_events_are_in_commit_order_with_two_relays_and_concurrent_writers(
    own_nats_server, postgres_database_url
):
    url = await postgres_database_url("toy")
    kits = [make_kit(url, own_nats_server.url) for _ in range(2)]
    await create_tables(kits[0].db)
    async with kits[0].db.engine.begin() as conn:
        await conn.run_sync(order_metadata.create_all)
    async with kits[0].db.transaction() as session:
        await session.execute(insert(counters), [{"aggregate": a, "n": 0} for a in AGGREGATES])
    for kit in kits:
        await kit.messaging.broker.connect()
    await kits[0].messaging.declare_own_stream()
    relays = [OutboxRelay(k.db, k.messaging.send, poll_seconds=0.01, batch_size=5) for k in kits]
    relaying = [asyncio.create_task(r.run()) for r in relays]
    try:
        work = [random.choice(AGGREGATES) for _ in range(EVENTS)]
        queue = asyncio.Queue()
        for aggregate in work:
            queue.put_nowait(aggregate)

        async def writer(db) -> None:
            while not queue.empty():
                await write(db, queue.get_nowait())

        await asyncio.gather(*(writer(kits[n % 2].db) for n in range(WRITERS)))

        async def all_published() -> bool:
            return await outbox.pending_count(kits[0].db) == 0

        await wait_for(all_published, timeout=60, what="every event published")
    finally:
        for task in relaying:
            task.cancel()
        await asyncio.gather(*relaying, return_exceptions=True)

    async with kits[0].db.read() as session:
        commit_number = {row.event_id: (row.aggregate, row.n) for row in await session.execute(select(committed))}
    messages = await read_stream(own_nats_server.url, "MEMBERSHIP", MemberJoined.subject())
    in_stream: dict[str, list[int]] = {a: [] for a in AGGREGATES}
    for message in messages:
        aggregate, n = commit_number[message.headers["ce-id"]]
        in_stream[aggregate].append(n)
    assert sum(len(ns) for ns in in_stream.values()) == EVENTS  # each once
    for aggregate, numbers in in_stream.items():
        inverted = [(a, b) for a, b in zip(numbers, numbers[1:], strict=False) if a > b]
        assert not inverted, f"{aggregate}: published out of commit order at {inverted[:5]}"
    for kit in kits:
        await kit.messaging.stop()
        await kit.db.dispose()
