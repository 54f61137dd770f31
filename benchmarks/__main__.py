"""`make bench`: figures for the event backbone and a service's request path.

    outbox relay     events published per second (state change + outbox row already committed)
    consumer         events processed per second through the inbox (idempotent handler)
    receive feedback POST /feedback at 16 concurrent requests: requests/s, p50, p99
    memory           resident memory of this process at the end

Runs on SQLite, and on PostgreSQL too when FORUM_TEST_POSTGRES_URL is set.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import nats

from forum_shared.events import Envelope, FeedbackReceived
from forum_shared.testing import NatsServer, postgres_admin_url, run_service, settings_for, wait_for


async def database(kind: str, name: str, folder: Path) -> str:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{folder / name}.db"
    import asyncpg
    from sqlalchemy.engine import make_url

    admin = make_url(postgres_admin_url())
    db_name = f"forum_bench_{name}_{uuid.uuid4().hex[:8]}"
    conn = await asyncpg.connect(host=admin.host, port=admin.port or 5432, user=admin.username,
                                 password=admin.password, database=admin.database)
    await conn.execute(f'CREATE DATABASE "{db_name}"')
    await conn.close()
    return admin.set(database=db_name).render_as_string(hide_password=False)


async def bench_outbox_and_requests(kind: str, nats_url: str, folder: Path, events: int, requests: int) -> None:
    import feedback.app
    import feedback.config
    from forum_shared.outbox import pending_count

    settings = settings_for(feedback.config.Settings, database_url=await database(kind, "feedback", folder),
                            nats_url=nats_url, log_level="ERROR")
    async with run_service(feedback.app.create_app, settings) as fb:
        await wait_for(lambda: fb.kit.messaging.ready, what="connected")
        # Requests: 16 at a time, each one transaction (feedback row + outbox row).
        latencies: list[float] = []
        sem = asyncio.Semaphore(16)

        async def one(i: int) -> None:
            async with sem:
                t0 = time.perf_counter()
                body = {"text": f"Benchmark view {i}", "area": "Ely", "themes": ["access"]}
                resp = await fb.client.post("/feedback", json=body)
                latencies.append(time.perf_counter() - t0)
                assert resp.status_code == 201

        t0 = time.perf_counter()
        await asyncio.gather(*(one(i) for i in range(requests)))
        elapsed = time.perf_counter() - t0
        q = statistics.quantiles(latencies, n=100)
        print(
            f"  receive feedback  {requests / elapsed:8.0f} req/s   p50 {q[49] * 1000:6.1f} ms   "
            f"p99 {q[98] * 1000:6.1f} ms  (16 concurrent, in-process ASGI)"
        )
        await wait_for(lambda: _drained(fb.db), timeout=120, what="outbox drained")

        # Relay: pause publishing, commit a backlog, then time how fast it drains.
        fb.kit.relay.ready = lambda: False
        from feedback.schemas import FeedbackCreate
        from feedback.service.intake import receive_feedback

        for i in range(events):
            view = FeedbackCreate(text=f"Backlog {i}", area="March")
            await receive_feedback(fb.db, "anonymous", view, settings.rules())
        assert await pending_count(fb.db) == events
        t0 = time.perf_counter()
        fb.kit.relay.ready = lambda: True
        fb.kit.relay.wake()
        await wait_for(lambda: _drained(fb.db), timeout=300, what="backlog published")
        rate = events / (time.perf_counter() - t0)
        print(f"  outbox relay      {rate:8.0f} events/s published (JetStream PubAck each)")


async def _drained(db) -> bool:
    from forum_shared.outbox import pending_count

    return await pending_count(db) == 0


async def bench_consumer(kind: str, nats_url: str, folder: Path, events: int) -> None:
    from sqlalchemy import func, select

    from forum_shared.config import ServiceSettings
    from forum_shared.consumers import Consumers
    from forum_shared.tables import inbox, kit_metadata
    from forum_shared.web import ServiceKit

    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    for i in range(events):  # the FEEDBACK stream exists: the feedback service declared it above
        event = FeedbackReceived(feedback_id=str(i), received_at=datetime.now(UTC), channel="online")
        env = Envelope.wrap(event, source="/forum/feedback")
        await js.publish(env.subject, env.body(), headers=env.headers())
    total = (await js.stream_info("FEEDBACK")).state.messages
    await nc.close()

    counting = Consumers("bench")

    @counting.on(FeedbackReceived)
    async def count(session, event, envelope) -> None:
        """Does nothing beyond the inbox bookkeeping every handler gets."""

    settings = settings_for(ServiceSettings, database_url=await database(kind, "bench", folder), nats_url=nats_url,
                            log_level="ERROR", migrate_on_start=False)
    kit = ServiceKit(name="bench", title="bench", settings=settings, migrations=None, consumers=counting)
    async with kit.db.engine.begin() as conn:
        await conn.run_sync(kit_metadata.create_all)

    async def processed() -> bool:
        async with kit.db.read() as session:
            return await session.scalar(select(func.count()).select_from(inbox)) >= total

    t0 = time.perf_counter()
    async with kit.running():
        await wait_for(processed, timeout=600, what="events processed")
    rate = total / (time.perf_counter() - t0)
    print(f"  consumer          {rate:8.0f} events/s processed ({total} events; inbox row + ack each)")


async def main(events: int, requests: int) -> None:
    kinds = ["sqlite"] + (["postgres"] if postgres_admin_url() else [])
    for kind in kinds:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            server = NatsServer(folder / "nats", federated=False)
            server.start()
            try:
                print(f"\n{kind}:")
                await bench_outbox_and_requests(kind, server.url, folder, events, requests)
                await bench_consumer(kind, server.url, folder, events)
            finally:
                server.stop()
    if not postgres_admin_url():
        print("\n(PostgreSQL skipped: set FORUM_TEST_POSTGRES_URL to include it)")
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"\n  memory            {rss_mb:8.0f} MB peak resident (this benchmark process)")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--events", type=int, default=2000)
    parser.add_argument("--requests", type=int, default=1000)
    parser.add_argument("--no-search", action="store_true", help="skip the directory search benchmark")
    args = parser.parse_args()
    import logging

    logging.disable(logging.WARNING)
    asyncio.run(main(args.events, args.requests))
    extra = Path(__file__).resolve().parents[1] / "services" / "signposting" / "benchmarks" / "bench_search.py"
    if extra.exists() and not args.no_search:
        print("\nsignposting search:")
        sys.exit(subprocess.call([sys.executable, str(extra)], env=os.environ.copy()))
