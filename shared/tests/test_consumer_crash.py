"""A consumer that crashes in the middle of a burst has its unfinished events again within seconds
(a short `ack_wait`), and a slow handler is never given its event twice (it says it is still
working), over a real nats-server."""

import asyncio
import contextlib

import httpx
import nats

from forum_shared import messaging
from forum_shared.testing import RunningService, wait_for

from .conftest import Toy, create_tables, make_kit, seen
from .test_consumers import feedback_event, feedback_stream

BURST = 30
CONSUMER = "toy-count_feedback"


@contextlib.asynccontextmanager
async def consuming(url: str, nats_url: str, **settings):
    """The toy service running on an existing database, until the block ends (or it is cut off)."""
    kit = make_kit(url, nats_url, **settings)
    app = kit.create_app()
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://toy") as client,
    ):
        await wait_for(lambda: CONSUMER in kit.messaging.subscribed, what="toy subscribed")
        yield kit
        await RunningService(app, client).aclose()


async def test_a_consumer_that_crashed_mid_event_catches_up_within_seconds(
    own_nats_server, database_url, capsys, monkeypatch
):
    # A crash hands nothing back to NATS (a service that stops does: see the next test).
    monkeypatch.setattr(messaging, "_hand_back", lambda messages: asyncio.sleep(0))
    url = await database_url("toy")
    await create_tables(make_kit(url, own_nats_server.url).db)
    loop = asyncio.get_running_loop()
    async with feedback_stream(own_nats_server.url) as send:
        Toy.stuck_on = "Wisbech"
        async with consuming(url, own_nats_server.url) as kit:
            ack_wait = kit.settings.ack_wait_seconds
            for n in range(BURST):
                await send(feedback_event("Wisbech" if n == 4 else f"area-{n}"))
            await wait_for(Toy.stuck.is_set, what="the consumer in the middle of an event")
            # A batch commits as one: the events before it in its batch are not in yet either.
            assert await seen(kit.db) <= 4
        # Gone mid-event, with the rest of its batch unacknowledged: as a crash leaves them.
        crashed_at = loop.time()
        Toy.stuck_on = None
        async with consuming(url, own_nats_server.url) as kit:
            async def caught_up() -> bool:
                return await seen(kit.db) == BURST

            # Within a few times ack_wait (5 s), where the old 30 s would still be waiting.
            await wait_for(caught_up, timeout=3 * ack_wait, what="every event of the burst processed")
            took = loop.time() - crashed_at
    with capsys.disabled():
        print(f"\ncaught up {BURST} events {took:.1f} s after the crash (ack_wait {ack_wait:g} s)")
    assert ack_wait <= 10



async def test_a_consumer_that_stops_mid_batch_hands_its_events_back_at_once(own_nats_server, database_url):
    """A service stopping (a deploy, a restart) gives back the batch it was handling and the one
    it had fetched ahead: they are delivered again at once, not after `ack_wait` (here 30 s)."""
    url = await database_url("toy")
    await create_tables(make_kit(url, own_nats_server.url).db)
    loop = asyncio.get_running_loop()
    settings = {"ack_wait_seconds": 30, "consumer_batch_size": 2}
    async with feedback_stream(own_nats_server.url) as send:
        Toy.stuck_on = "Wisbech"
        async with consuming(url, own_nats_server.url, **settings) as kit:
            for area in ("Ely", "Wisbech", "March", "Soham", "Chatteris"):
                await send(feedback_event(area))
            await wait_for(Toy.stuck.is_set, what="the consumer in the middle of a batch")
            nc = await nats.connect(own_nats_server.url)
            try:
                async def fetched_ahead() -> bool:  # the batch in hand and the next, unacknowledged
                    info = await nc.jetstream().consumer_info(kit.messaging.inbound, CONSUMER)
                    return info.num_ack_pending == 4
                await wait_for(fetched_ahead, what="the next batch fetched while one is handled")
            finally:
                await nc.close()
        stopped_at = loop.time()
        Toy.stuck_on = None
        async with consuming(url, own_nats_server.url, **settings) as kit:
            async def all_five() -> bool:
                return await seen(kit.db) == 5

            await wait_for(all_five, timeout=10, what="every event handled after the restart")
    assert loop.time() - stopped_at < 10 < settings["ack_wait_seconds"]

async def test_a_handler_slower_than_ack_wait_gets_its_event_once_with_two_replicas(own_nats_server, database_url):
    """Two replicas share the consumer: while one is slow on a batch, the other, idle and asking
    for events, would be given that batch again if the first did not say it is still working."""
    url = await database_url("toy")
    await create_tables(make_kit(url, own_nats_server.url).db)
    Toy.slow_for = 2.5
    async with (
        feedback_stream(own_nats_server.url) as send,
        consuming(url, own_nats_server.url, ack_wait_seconds=1.0) as kit,
        consuming(url, own_nats_server.url, ack_wait_seconds=1.0) as other,
    ):
        deliveries: list[str] = []
        for replica in (kit, other):
            replica.messaging.on_processed.append(lambda _consumer, outcome: deliveries.append(outcome))
        await send(feedback_event("slow"))

        async def done() -> bool:
            return await seen(kit.db) == 1

        await wait_for(done, timeout=30, what="the slow event processed")
        nc = await nats.connect(own_nats_server.url)
        try:
            info = await nc.jetstream().consumer_info(kit.messaging.inbound, CONSUMER)
        finally:
            await nc.close()
        assert info.config.ack_wait == 1.0
    assert Toy.handled == ["slow"] and deliveries == ["processed"]  # given to one replica, once
