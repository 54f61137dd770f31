"""Raw nats-py, the baselines of the relay and consume paths: no database, no kit."""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Sequence
from typing import Any


async def publish_all(js: Any, messages: Sequence[tuple[str, bytes, dict[str, str]]], stream: str,
                      bound: float) -> dict[str, float]:
    """Publish every message with `publish_async` (as many in flight as the JetStream context
    allows: make it with `publish_async_max_pending=100`) and wait for each PubAck; stops at
    `bound` seconds. Returns how many were acknowledged, in how long, and the rate."""
    import nats.js.errors

    began = time.perf_counter()
    acked = 0

    def count(future: asyncio.Future[Any]) -> None:
        nonlocal acked
        if not future.cancelled() and future.exception() is None:
            acked += 1

    # nats-py reports a wait for room in the window that the bound cut short as "too many stalled".
    with contextlib.suppress(TimeoutError, nats.js.errors.TooManyStalledMsgsError):
        async with asyncio.timeout(bound):
            for subject, body, headers in messages:
                (await js.publish_async(subject, body, stream=stream, headers=dict(headers))).add_done_callback(count)
            await js.publish_async_completed()
    seconds = time.perf_counter() - began
    return {"rate": acked / seconds, "done": acked, "seconds": seconds}


async def pull_all(js: Any, stream: str, subject: str, count: int, bound: float, durable: str = "bench-raw"
                   ) -> dict[str, float]:
    """A new durable pull consumer on `stream` (from its first message): fetch 100 at a time and
    acknowledge each, until `count` are acknowledged or `bound` seconds have passed."""
    import nats.errors
    import nats.js.errors
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    with contextlib.suppress(nats.js.errors.NotFoundError):
        await js.delete_consumer(stream, durable)
    began = time.perf_counter()
    await js.add_consumer(stream, ConsumerConfig(durable_name=durable, filter_subject=subject, max_deliver=-1,
                                                 ack_policy=AckPolicy.EXPLICIT, ack_wait=5,
                                                 deliver_policy=DeliverPolicy.ALL))
    sub = await js.pull_subscribe_bind(durable, stream)
    acked = 0
    try:
        with contextlib.suppress(TimeoutError):
            async with asyncio.timeout(bound):
                while acked < count:
                    try:
                        messages = await sub.fetch(batch=100, timeout=2)
                    except nats.errors.TimeoutError:
                        continue
                    for msg in messages:
                        await msg.ack()
                        acked += 1
        seconds = time.perf_counter() - began
    finally:
        await sub.unsubscribe()
    return {"rate": acked / seconds, "done": acked, "seconds": seconds}
