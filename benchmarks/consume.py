"""consume — a service catching up on events through the kit's consumer path.

100,000 FeedbackReceived events wait in the owner's stream (FEEDBACK) and, sourced from it, in the
consuming service's inbound stream, as after a service was down or is new. A `ServiceKit` with one
trivial handler (`@consumers.on(FeedbackReceived)`, doing nothing) then runs as a service does: its
durable pull consumer fetches them, and each fetched batch is handled as the kit handles it (its
stream position, the inbox check and rows, the handler, in the kit's transactions) and acked.
Timed from the first event processed to the last: when all are, or at the run's time limit of
5 s (then the rate is of what was processed by then; the note says how far each round got). Each
round uses a new database and a new durable consumer, so nothing is skipped as already seen.

Baseline: a raw nats-py durable pull consumer on the same stream, fetching 100 at a time and
acknowledging each, with no database.

Bare nats-server; SQLite and PostgreSQL. Targets: ratio ≥ 0.3 in events/s, and 1,000,000 events
caught up (at the measured rate) in under 3 minutes.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from benchmarks.baselines.jetstream import pull_all
from benchmarks.common import (
    Context,
    Row,
    alternate,
    below,
    compare,
    databases,
    nats_server,
    per_backend,
    ratio_at_least,
)

NAME = "consume"
SERVICE = "bench"  # the consuming service: its inbound stream is BENCH_INBOUND
CATCH_UP = 1_000_000


async def fill_stream(js: Any, count: int) -> None:
    """`count` events in the owner's stream, published as the owner's relay would."""
    from forum_shared.events import Envelope, FeedbackReceived

    for start in range(0, count, 1000):
        pending = []
        for _ in range(start, min(start + 1000, count)):
            event = FeedbackReceived(feedback_id=str(uuid.uuid4()), received_at=datetime.now(UTC), channel="partner",
                                     area="Ely", themes=["waiting times"])
            envelope = Envelope.wrap(event, source="/forum/feedback")
            pending.append(await js.publish_async(envelope.subject, envelope.body(), stream="FEEDBACK",
                                                  headers=envelope.headers()))
        await asyncio.gather(*pending)


def _consumers() -> Any:
    from forum_shared.consumers import Consumers
    from forum_shared.events import FeedbackReceived

    consumers = Consumers(SERVICE)

    @consumers.on(FeedbackReceived)
    async def count_it(session: Any, event: Any, envelope: Any) -> None:
        """Nothing beyond the inbox bookkeeping every handler gets."""

    return consumers


async def run(ctx: Context) -> list[Row]:
    from forum_shared.config import ServiceSettings
    from forum_shared.messaging import Messaging
    from forum_shared.streams import own_stream_config

    count = ctx.pick(100_000, 5_000)
    folder = ctx.sub(NAME)
    async with nats_server(folder / "nats", federated=False) as server:
        nc = await server.connect()
        try:
            js = nc.jetstream(publish_async_max_pending=1000)
            await js.add_stream(own_stream_config("feedback", ServiceSettings()))
            started = time.perf_counter()
            await fill_stream(js, count)
            # The consumer's inbound stream, declared as its service declares it, filled by sourcing.
            plan = Messaging(SERVICE, ServiceSettings(nats_url=server.url), consumers=_consumers(),
                             db=None)  # type: ignore[arg-type]  # only its streams' configuration is read
            await js.add_stream(plan.inbound_stream_config())
            async with asyncio.timeout(120):
                while (await js.stream_info(plan.inbound)).state.messages < count:
                    await asyncio.sleep(0.1)
            ctx.log(f"  consume: {count:,} events in {plan.inbound} in {time.perf_counter() - started:.1f} s")

            async def measure(ctx: Context, kind: str) -> list[Row]:
                return await _on(ctx, kind, server, js, plan.inbound, count)

            return await per_backend(ctx, NAME, measure)
        finally:
            await nc.close()


async def _on(ctx: Context, kind: str, server: Any, js: Any, inbound: str, count: int) -> list[Row]:
    import nats.js.errors

    from forum_shared.config import ServiceSettings
    from forum_shared.events import FeedbackReceived
    from forum_shared.tables import kit_metadata
    from forum_shared.web import ServiceKit

    bound = 5.0  # seconds each run may take: the rate is of what was done by then
    consumers = _consumers()
    async with databases(ctx, ctx.sub(f"{NAME}-{kind}")) as dbs:
        async def forum(_n: int) -> dict[str, float]:
            url = await dbs.new(kind, "consume")
            settings = ServiceSettings(database_url=url, nats_url=server.url, log_level="WARNING",
                                       migrate_on_start=False)
            kit = ServiceKit(name=SERVICE, title=SERVICE, settings=settings, consumers=consumers,
                             migrations=None)  # type: ignore[arg-type]  # not read (no migrate_on_start): tables below
            async with kit.db.engine.begin() as conn:
                await conn.run_sync(kit_metadata.create_all)
            with contextlib.suppress(nats.js.errors.NotFoundError):
                await js.delete_consumer(inbound, "bench-count_it")
            processed = 0
            first = last = 0.0
            finished = asyncio.Event()

            def note(_consumer: Any, outcome: str) -> None:
                nonlocal processed, first, last
                if outcome == "processed":
                    processed += 1
                    last = time.perf_counter()
                    first = first or last
                if processed >= count:
                    finished.set()

            kit.messaging.on_processed.append(note)
            try:
                async with kit.running():
                    with contextlib.suppress(TimeoutError):
                        async with asyncio.timeout(bound):
                            await finished.wait()
            finally:
                await dbs.drop(url)
            # From the first event processed to the last: the service's start-up is not counted.
            rate = (processed - 1) / (last - first) if processed > 1 and last > first else 0.0
            return {"rate": rate, "done": processed, "seconds": last - first}

        async def baseline(_n: int) -> dict[str, float]:
            return await pull_all(js, inbound, FeedbackReceived.subject(), count, bound)

        ours, theirs = await alternate(ctx.rounds, forum, baseline)
    progress = "forum processed " + " / ".join(f"{r['done']:,.0f}" for r in ours) + f" of {count:,}"
    if any(r["done"] < count for r in ours):
        progress += f" (stopped at {bound:g} s)"
    return [
        compare(NAME, f"{kind} backlog of {count:,}", "events/s", [r["rate"] for r in ours],
                [r["rate"] for r in theirs], ratio_at_least(0.3), note=progress),
        compare(NAME, f"{kind} catch up {CATCH_UP:,} (projected)", "s",
                [CATCH_UP / r["rate"] if r["rate"] else None for r in ours],
                [CATCH_UP / r["rate"] if r["rate"] else None for r in theirs], below(180, "s")),
    ]
