"""relay — the outbox relay draining a backlog to JetStream.

A backlog of committed outbox rows (100,000; FeedbackReceived events, each row exactly as
`forum_shared.outbox.record` writes it, inserted in transactions of 1,000) is published by the
kit's `OutboxRelay` through the service's `Messaging.send`, as `ServiceKit` composes them (a batch
in flight on one connection, `Nats-Msg-Id` = event id, the acknowledged prefix marked), as a
service does after an outage: timed from start until every row
is marked published, or until the run's time limit of 6 s (then the rate is of what was
published by then: the note says how far each round got).

Baseline: raw nats-py publishing the same 100,000 messages (same subjects, bodies and headers) to
the same kind of stream with 100 in flight (`publish_async`), waiting for every PubAck.

Each round starts from a new stream (so JetStream's duplicate window drops nothing) and, for the
relay, the same rows marked unpublished again. Bare nats-server; SQLite and PostgreSQL.
Target: ratio ≥ 0.5 in events/s.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from benchmarks.baselines.jetstream import publish_all
from benchmarks.common import Context, Row, alternate, compare, databases, nats_server, per_backend, ratio_at_least

NAME = "relay"
BATCH = 1000


async def make_backlog(db: Any, count: int) -> list[tuple[str, bytes, dict[str, str]]]:
    """`count` committed outbox rows, as `record` writes them; returns the same messages."""
    from sqlalchemy import insert

    from forum_shared.events import Envelope, FeedbackReceived
    from forum_shared.tables import outbox

    messages = []
    for start in range(0, count, BATCH):
        rows = []
        for _ in range(start, min(start + BATCH, count)):
            event = FeedbackReceived(feedback_id=str(uuid.uuid4()), received_at=datetime.now(UTC), channel="partner",
                                     area="Ely", themes=["waiting times"], source_kind="partner_organisation")
            envelope = Envelope.wrap(event, source="/forum/feedback")
            headers, body = envelope.headers(), envelope.body().decode()
            rows.append({"event_id": envelope.id, "subject": envelope.subject, "headers": headers, "body": body,
                         "created_at": envelope.time, "attempts": 0})
            messages.append((envelope.subject, body.encode(), headers))
        async with db.transaction() as session:
            await session.execute(insert(outbox), rows)
    return messages


async def run(ctx: Context) -> list[Row]:
    return await per_backend(ctx, NAME, _on)


async def _on(ctx: Context, kind: str) -> list[Row]:
    import nats.js.errors
    from sqlalchemy import text, update

    from forum_shared.config import ServiceSettings
    from forum_shared.consumers import Consumers
    from forum_shared.db import Database
    from forum_shared.messaging import Messaging
    from forum_shared.outbox import OutboxRelay
    from forum_shared.streams import own_stream_config
    from forum_shared.tables import kit_metadata, outbox

    count = ctx.pick(100_000, 5_000)
    bound = 6.0  # seconds each run may take: the rate is of what was done by then
    folder = ctx.sub(f"{NAME}-{kind}")
    async with nats_server(folder / "nats", federated=False) as server, databases(ctx, folder) as dbs:
        url = await dbs.new(kind, "relay")
        settings = ServiceSettings(database_url=url, nats_url=server.url, log_level="WARNING")
        db = Database(url, source="/forum/feedback")
        async with db.engine.begin() as conn:
            await conn.run_sync(kit_metadata.create_all)
        started = time.perf_counter()
        messages = await make_backlog(db, count)
        ctx.log(f"  relay {kind}: {count:,} outbox rows in {time.perf_counter() - started:.1f} s")
        await db.dispose()
        nc = await server.connect()
        js = nc.jetstream(publish_async_max_pending=100)

        async def new_stream() -> None:
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await js.delete_stream("FEEDBACK")
            await js.add_stream(own_stream_config("feedback", settings))

        async def forum(_n: int) -> dict[str, float]:
            await new_stream()
            db = Database(url, source="/forum/feedback")
            async with db.transaction() as session:
                await session.execute(update(outbox).values(published_at=None))
            if not db.is_sqlite:  # as a backlog written once would be: no row versions left by the reset
                async with db.engine.connect() as conn:
                    await (await conn.execution_options(isolation_level="AUTOCOMMIT")).execute(
                        text("VACUUM ANALYZE outbox"))
            messaging = Messaging("feedback", settings, db, Consumers("feedback"))
            await messaging.first_connect()
            relay = OutboxRelay(db, messaging.send, ready=lambda: messaging.ready,
                                poll_seconds=settings.outbox_poll_seconds)
            published = 0
            finished = asyncio.Event()

            def note(n: int) -> None:
                nonlocal published
                published += n
                if published >= count:
                    finished.set()

            relay.on_published.append(note)
            began = time.perf_counter()
            task = asyncio.create_task(relay.run())
            try:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(bound):
                        await finished.wait()
                seconds = time.perf_counter() - began
            finally:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
                await messaging.stop()
                await db.dispose()
            return {"rate": published / seconds, "done": published, "seconds": seconds}

        async def baseline(_n: int) -> dict[str, float]:
            await new_stream()
            return await publish_all(js, messages, "FEEDBACK", bound)

        try:
            ours, theirs = await alternate(ctx.rounds, forum, baseline)
        finally:
            await nc.close()
    progress = "forum published " + " / ".join(f"{r['done']:,.0f}" for r in ours) + f" of {count:,}"
    if any(r["done"] < count for r in ours):
        progress += f" (stopped at {bound:g} s)"
    return [compare(NAME, f"{kind} backlog of {count:,}", "events/s", [r["rate"] for r in ours],
                    [r["rate"] for r in theirs], ratio_at_least(0.5), note=progress)]
