"""NATS JetStream for one service: its connection, its two streams, its durable consumers.

A service owns one stream, `forum.<owner>.>` (e.g. `FEEDBACK`), and declares it; only the outbox
relay publishes to it. Everything the service consumes comes from a second stream of its own,
`<SERVICE>_INBOUND`, which *sources* exactly the event types it consumes from their owners' streams
(across accounts through the owners' exports, see `forum_shared.federation`; both streams' names
and settings are in `forum_shared.streams`). A sourced stream made later fills itself from the
owners' history, so a new partner, or a rebuilt one, gets it all.

Each consumer is a durable pull consumer on the inbound stream. The server never gives up on a
message (`max_deliver=-1`): this module counts attempts itself and, after `max_deliver`, stores the
message as a dead letter before acknowledging it, so nothing is lost even if that write fails at
first. An event is believed only from its owner (`check_from_owner`). Each effect is recorded with
the event's stream position; when NATS says a consumer got further than the database knows (a new
or restored database), the consumer starts again from the beginning and the inbox skips what the
database already has.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import ssl
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING, Any

import nats
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.security import BaseSecurity
from faststream.specification import AsyncAPI
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError

from forum_shared.config import ServiceSettings
from forum_shared.consumers import (
    Consumer,
    Consumers,
    check_from_owner,
    process_batch,
    recorded_position,
    store_dead_letter,
)
from forum_shared.db import Database
from forum_shared.events import Envelope, Event, InvalidEnvelope, events_of, stream_for
from forum_shared.events.asyncapi import complete as complete_asyncapi
from forum_shared.logs import get_logger
from forum_shared.streams import inbound_stream, inbox_prefix, own_stream_config, retention, sources
from forum_shared.tasks import stop_if_cancelled

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.aio.msg import Msg
    from nats.js import JetStreamContext

log = get_logger("forum.messaging")


class CredentialsRefused(RuntimeError):
    """NATS refused this service's credentials: starting would only retry for ever."""


def tls_context(settings: ServiceSettings) -> ssl.SSLContext | None:
    if not (settings.nats_tls_ca_file or settings.nats_tls_cert_file):
        return None
    context = ssl.create_default_context(cafile=str(settings.nats_tls_ca_file) if settings.nats_tls_ca_file else None)
    if settings.nats_tls_cert_file:
        context.load_cert_chain(str(settings.nats_tls_cert_file), str(settings.nats_tls_key_file))
    return context


def nats_security(settings: ServiceSettings) -> BaseSecurity | None:
    from faststream.nats.security import NatsCredentials, NatsNKey, NatsSecurity, NatsUserPassword

    context = tls_context(settings)
    if settings.nats_creds_file:
        return NatsCredentials.from_file(settings.nats_creds_file, ssl_context=context)
    if settings.nats_nkey_seed_file:
        return NatsNKey.from_file(settings.nats_nkey_seed_file, ssl_context=context)
    if settings.nats_user:
        return NatsUserPassword(settings.nats_user, settings.nats_password or "", ssl_context=context)
    return NatsSecurity(ssl_context=context) if context else None


def _refused(exc: BaseException) -> bool:
    text = str(exc).lower()
    return "authorization violation" in text or "authentication" in text or "user authentication expired" in text


async def fetch_ready(
    sub: JetStreamContext.PullSubscription, batch: int, timeout: float, catching_up: int | None = None
) -> list[Msg]:
    """Up to `batch` messages as soon as there is one: wait (up to `timeout`) for the first, then
    take at once as many of those already waiting as fit. (nats-py's `fetch(batch)` would wait,
    once it has one message, until it has `batch` of them or `timeout` passes: seconds of delay
    for every event while they come one at a time.) Far behind, with at least `catching_up`
    waiting, that many at once (if given and larger)."""
    messages: list[Msg] = await sub.fetch(batch=1, timeout=timeout)
    waiting = messages[-1].metadata.num_pending if messages and messages[-1].metadata else 0
    if catching_up and waiting >= catching_up:
        batch = max(batch, catching_up)
    if batch > 1 and waiting:
        with contextlib.suppress(TimeoutError, nats.errors.TimeoutError):
            messages += await sub.fetch(batch=min(batch - 1, waiting), timeout=timeout)
    return messages


async def _hand_back(messages: list[Msg]) -> None:
    """Tell NATS these messages will not be handled here, so it delivers them again at once
    (those acknowledged already are left as they are)."""
    for msg in messages:
        with contextlib.suppress(Exception):
            await msg.nak()


class Messaging:
    def __init__(
        self, service: str, settings: ServiceSettings, db: Database, consumers: Consumers
    ) -> None:
        self.service = service
        self.settings = settings
        self.db = db
        self.consumers = consumers
        self.connected = False
        self.subscribed: set[str] = set()  # consumers bound to their durable and fetching
        # Called on (re)connect, e.g. to wake the outbox relay.
        self.on_connected: list[Callable[[], None]] = []
        self.permission_violations: list[str] = []
        # Called with (consumer, outcome) after each event.
        self.on_processed: list[Callable[[Consumer, str], None]] = []
        self._tasks: list[asyncio.Task[None]] = []
        self._stopping = False

        async def on_error(exc: Exception) -> None:
            # A permissions violation does not raise on publish; it only reaches this callback.
            text = str(exc) or type(exc).__name__
            if "permissions violation" in text.lower():
                self.permission_violations.append(text)
                log.error("nats permission violation", detail=text)
            else:
                log.warning("nats error", error=text)

        async def on_disconnected() -> None:
            if self.connected and not self._stopping:
                log.warning("nats disconnected")
            self.connected = False

        async def on_reconnected() -> None:
            self.connected = True
            log.info("nats reconnected")
            for hook in self.on_connected:
                hook()

        options: dict[str, Any] = {}
        if settings.nats_jetstream_domain:
            options["js_options"] = {"domain": settings.nats_jetstream_domain}
        self.broker = NatsBroker(
            settings.nats_url,
            name=f"forum-{service}",
            error_cb=on_error,
            disconnected_cb=on_disconnected,
            reconnected_cb=on_reconnected,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            security=nats_security(settings),
            inbox_prefix=inbox_prefix(service),
            log_level=10,  # FastStream's per-message logs only at DEBUG: they cost ~5x throughput
            **options,
        )
        self._document_publishers()
        for consumer in consumers:
            self._document_subscriber(consumer)

    # -- subjects and streams -------------------------------------------------------------
    @property
    def inbound(self) -> str:
        return inbound_stream(self.service)

    def own_stream_config(self) -> StreamConfig:
        return own_stream_config(self.service, self.settings)

    def inbound_stream_config(self) -> StreamConfig:
        return StreamConfig(
            name=self.inbound,
            description=f"The events the {self.service} service consumes, sourced from their owners",
            sources=sources(self.service, [c.event_type for c in self.consumers], self.settings.nats_accounts),
            **retention(self.settings),
        )

    # -- lifecycle ----------------------------------------------------------------------
    async def first_connect(self) -> None:
        """Try to connect once, at start: wrong credentials stop the service here, with the
        setting to fix; an unreachable server is tried again in the background (`run`)."""
        self.settings.check_nats_files()
        try:
            await self.broker.connect()
        except Exception as exc:  # refused credentials stop; anything else retries
            if _refused(exc):
                raise CredentialsRefused(
                    f"NATS at {', '.join(self.settings.nats_url)} refused the {self.service} service's "
                    f"credentials ({exc}); check {self.settings.nats_credentials_setting()}"
                ) from exc
            log.warning("nats not reachable yet; will keep trying", servers=self.settings.nats_url, error=str(exc))
            return
        await self._check_the_key_is_this_services()
        self._now_connected()

    async def _check_the_key_is_this_services(self) -> None:
        """A key NATS accepts may still be another's (a copied seed file): then this service may not
        use its own stream. Ask for the stream's details once: any answer, "not found" too, means
        it may; a refusal stops the service here, naming the setting."""
        own = stream_for(self.service)
        try:
            await self.js.stream_info(own)
        except (TimeoutError, nats.errors.TimeoutError):
            await self.nats.flush(timeout=2)  # the refusal, if any, reaches the error callback first
            refused = [v for v in self.permission_violations if f"stream.info.{own}".lower() in v.lower()]
            if refused:
                await self.broker.stop()
                raise CredentialsRefused(
                    f"NATS accepted the key in {self.settings.nats_credentials_setting()}, but it is not the "
                    f"{self.service} service's: it may not use the {own} stream ({refused[0]})"
                ) from None
        except Exception:  # noqa: BLE001 - "not found", or JetStream not ready yet: `run` declares it
            return

    def _now_connected(self) -> None:
        self.connected = True
        for hook in self.on_connected:
            hook()

    async def run(self) -> None:
        """Connect, declare the two streams, then run every consumer until cancelled."""
        delay = 0.2
        while not self.ready:
            stop_if_cancelled()
            try:
                await self.broker.connect()
                self._now_connected()
            except Exception as exc:  # noqa: BLE001 - NATS may simply not be up yet
                stop_if_cancelled()
                level = log.error if _refused(exc) else log.warning
                level("nats not reachable; retrying", servers=self.settings.nats_url, error=str(exc),
                      credentials=self.settings.nats_credentials_setting())
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
        await self._retry(self.declare_own_stream, "declare the service's stream")
        if self.consumers.items:
            await self._retry(self.declare_inbound_stream, "declare the inbound stream")
        self._tasks = [
            asyncio.create_task(self._consume(c), name=f"{self.service}-consume-{c.name}") for c in self.consumers
        ]
        try:
            await asyncio.gather(*self._tasks)
        finally:
            for task in self._tasks:
                task.cancel()

    async def _retry(self, action: Callable[[], Awaitable[None]], what: str) -> None:
        delay = 0.2
        while True:
            stop_if_cancelled()
            try:
                return await action()
            except Exception as exc:  # noqa: BLE001 - NATS may be down or still electing: try again
                stop_if_cancelled()
                log.warning(f"could not {what}; retrying", error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)

    async def _declare(self, config: StreamConfig) -> None:
        js = self.js
        try:
            await js.add_stream(config)
        except BadRequestError:
            # It exists with another configuration (made by an older version, or by an operator):
            # bring it in line.
            await js.update_stream(config)

    async def declare_own_stream(self) -> None:
        await self._declare(self.own_stream_config())

    async def declare_inbound_stream(self) -> None:
        await self._declare(self.inbound_stream_config())

    async def stop(self) -> None:
        self._stopping = True
        for task in self._tasks:
            task.cancel()
        try:
            await self.broker.stop()
        except Exception as exc:  # noqa: BLE001 - shutting down anyway
            log.warning("broker stop failed", error=str(exc))
        self.connected = False

    @property
    def nats(self) -> Client:
        """The service's own nats-py connection, for a plain (not JetStream) subscription such as
        a live page's; FastStream raises `IncorrectState` until connected."""
        connection: Client = self.broker.config.connection_state.connection
        return connection

    @property
    def js(self) -> JetStreamContext:
        stream: JetStreamContext = self.broker.config.connection_state.stream
        return stream

    @property
    def ready(self) -> bool:
        conn = self.broker._connection  # FastStream exposes no public "is connected"
        return bool(conn is not None and conn.is_connected)

    # -- publishing (used by the outbox relay) -------------------------------------------
    async def publish(self, subject: str, body: bytes, headers: dict[str, str]) -> Any:
        return await self.js.publish(subject, body, timeout=5, stream=stream_for(self.service), headers=headers)

    async def send(self, subject: str, body: bytes, headers: dict[str, str]) -> asyncio.Future[Any]:
        """Publish without waiting: returns once the message is written to the connection, with a
        future of JetStream's acknowledgement (the outbox relay keeps a batch in flight this way)."""
        return await self.js.publish_async(subject, body, stream=stream_for(self.service), headers=dict(headers))

    # -- consuming ----------------------------------------------------------------------
    def consumer_config(self, consumer: Consumer) -> ConsumerConfig:
        return ConsumerConfig(
            durable_name=consumer.name,
            filter_subject=consumer.event_type.subject(),
            ack_policy=AckPolicy.EXPLICIT,
            max_deliver=-1,
            ack_wait=self.settings.ack_wait_seconds,
            deliver_policy=DeliverPolicy.ALL,
        )

    async def bind(self, consumer: Consumer) -> None:
        """Make sure the durable consumer exists, and rebuild it if it is ahead of the database."""
        js = self.js
        try:
            info = await js.consumer_info(self.inbound, consumer.name)
        except NotFoundError:
            info = None
        if info is not None and info.config.ack_wait != self.settings.ack_wait_seconds:
            await js.add_consumer(self.inbound, self.consumer_config(consumer))  # the setting changed
        if info is not None:
            recorded = await recorded_position(self.db, consumer.name)
            if info.ack_floor and (info.ack_floor.stream_seq or 0) > recorded:
                log.warning(
                    "this database has not seen events its consumer in NATS has acknowledged "
                    "(a new or restored database): reading the stream again from the start",
                    consumer=consumer.name, nats_position=info.ack_floor.stream_seq, database_position=recorded,
                )
                await js.delete_consumer(self.inbound, consumer.name)
                info = None
        if info is None:
            await js.add_consumer(self.inbound, self.consumer_config(consumer))

    async def _consume(self, consumer: Consumer) -> None:
        delay = 0.2
        while True:
            stop_if_cancelled()
            sub = None
            try:
                await self.bind(consumer)
                sub = await self.js.pull_subscribe_bind(consumer.name, self.inbound)
                self.subscribed.add(consumer.name)
                delay = 0.2
                await self._take_batches(consumer, sub)
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001 - the stream may not exist yet, NATS may be down
                stop_if_cancelled()
                self.subscribed.discard(consumer.name)
                log.info("consumer waiting", consumer=consumer.name, error=str(exc) or type(exc).__name__)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
            finally:
                if sub is not None:
                    # The connection may be gone already.
                    with contextlib.suppress(Exception):
                        await sub.unsubscribe()

    async def _take_batches(self, consumer: Consumer, sub: JetStreamContext.PullSubscription) -> None:
        """Batch after batch, in order: the next is fetched while this one is handled, so a
        consumer catching up never waits for NATS and its database in turn."""
        fetch = functools.partial(fetch_ready, sub, self.settings.consumer_batch_size, timeout=2,
                                  catching_up=self.settings.consumer_catch_up_batch_size)
        ahead = asyncio.create_task(fetch())
        in_hand: list[Msg] = []
        idle = 0
        try:
            while True:
                stop_if_cancelled()
                try:
                    in_hand = await ahead
                except (TimeoutError, nats.errors.TimeoutError):
                    ahead = asyncio.create_task(fetch())
                    idle += 1
                    if idle % 15 == 0:
                        # Still there? (`forum replay` deletes it to read history again.)
                        await self.js.consumer_info(self.inbound, consumer.name)
                    continue
                idle = 0
                ahead = asyncio.create_task(fetch())
                async with self._still_working(in_hand, ahead):
                    await self.deliver_batch(consumer, in_hand)
                in_hand = []
        except asyncio.CancelledError:
            # Stopping mid-batch: its transaction did not commit (or its events are in the inbox),
            # so it goes back to NATS at once rather than after `ack_wait`.
            await _hand_back(in_hand)
            raise
        finally:
            # The next batch was fetched and never started: back to NATS at once, too.
            ahead.cancel()
            fetched: list[Msg] = []
            with contextlib.suppress(BaseException):
                fetched = await ahead
            await _hand_back(fetched)

    @contextlib.asynccontextmanager
    async def _still_working(
        self, messages: list[Msg], ahead: asyncio.Task[list[Msg]] | None = None
    ) -> AsyncIterator[list[Msg]]:
        """While a batch is handled, tell NATS every third of `ack_wait` that its messages not yet
        acknowledged are in progress, so a short `ack_wait` (a crashed consumer's events are
        delivered again within seconds) never redelivers an event a slow handler is still on;
        nor one of the next batch (`ahead`), fetched and waiting its turn."""
        waiting = list(messages)

        def next_batch_too(task: asyncio.Task[list[Msg]]) -> None:
            if not task.cancelled() and task.exception() is None:
                waiting.extend(task.result())

        if ahead is not None:
            ahead.add_done_callback(next_batch_too)

        async def keep_alive() -> None:
            while True:
                await asyncio.sleep(self.settings.ack_wait_seconds / 3)
                for msg in list(waiting):
                    with contextlib.suppress(Exception):  # gone already: nothing to keep
                        await msg.in_progress()

        task = asyncio.create_task(keep_alive())
        try:
            yield waiting
        finally:
            if ahead is not None:
                ahead.remove_done_callback(next_batch_too)
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def deliver_batch(self, consumer: Consumer, messages: list[Msg]) -> None:
        """A fetched batch: malformed or disowned events are dead-lettered at once; the rest are
        handled in one transaction (`process_batch`), then acknowledged, or retried one by one."""
        items: list[tuple[Envelope, int]] = []
        valid: list[Msg] = []
        for msg in messages:
            envelope = await self._accepted(consumer, msg)
            if envelope is None:
                continue
            items.append((envelope, msg.metadata.sequence.stream))
            valid.append(msg)
        for msg, error in zip(valid, await process_batch(self.db, consumer, items), strict=True):
            if error is None:
                await msg.ack()
                self._processed(consumer, "processed")
            else:
                await self._failed(consumer, msg, error)

    async def _accepted(self, consumer: Consumer, msg: Msg) -> Envelope | None:
        """The message's envelope, or None after dead-lettering it: retrying cannot fix a malformed
        or disowned message."""
        headers = dict(msg.headers or {})
        try:
            envelope = Envelope.decode(headers, msg.data)
            if not isinstance(envelope.data, consumer.event_type):
                raise InvalidEnvelope(f"expected {consumer.event_type.type_name()}, got {envelope.type}")
            check_from_owner(envelope, msg.subject, headers)
        except InvalidEnvelope as exc:
            attempts = msg.metadata.num_delivered if msg.metadata else 1
            position = msg.metadata.sequence.stream if msg.metadata else None
            await self._dead_letter_or_retry(consumer, msg, headers, f"{exc}", attempts, position, final=True)
            return None
        return envelope

    async def _failed(self, consumer: Consumer, msg: Msg, exc: Exception) -> None:
        attempts = msg.metadata.num_delivered if msg.metadata else 1
        position = msg.metadata.sequence.stream if msg.metadata else None
        final = attempts >= self.settings.max_deliver
        await self._dead_letter_or_retry(
            consumer, msg, dict(msg.headers or {}), f"{type(exc).__name__}: {exc}", attempts, position, final=final
        )

    async def _dead_letter_or_retry(
        self,
        consumer: Consumer,
        msg: Msg,
        headers: dict[str, str],
        error: str,
        attempts: int,
        position: int | None,
        *,
        final: bool,
    ) -> None:
        if not final:
            delay = self.settings.retry_backoff_seconds * 2 ** (attempts - 1)
            log.warning("event failed; will retry", consumer=consumer.name, attempt=attempts, error=error[:300])
            await msg.nak(delay=min(delay, 300))
            self._processed(consumer, "retried")
            return
        try:
            await store_dead_letter(
                self.db,
                consumer=consumer.name,
                subject=msg.subject,
                headers=headers,
                body=msg.data,
                error=error,
                attempts=attempts,
                position=position,
            )
        except Exception as exc:  # noqa: BLE001 - keep the message in NATS until it is stored
            log.error("could not store dead letter; will retry", error=str(exc))
            await msg.nak(delay=self.settings.retry_backoff_seconds)
            return
        await msg.ack()
        self._processed(consumer, "dead_lettered")

    def _processed(self, consumer: Consumer, outcome: str) -> None:
        for hook in self.on_processed:
            hook(consumer, outcome)

    async def read_history_again(self) -> list[str]:
        """Delete this service's durable consumers. Each is made again from the start of its
        stream — at once by a running service, else when it starts — and the inbox skips every
        event the database already has. Returns the consumers deleted."""
        deleted = []
        for consumer in self.consumers:
            try:
                await self.js.delete_consumer(self.inbound, consumer.name)
            except NotFoundError:
                continue
            deleted.append(consumer.name)
        return deleted

    # -- AsyncAPI ------------------------------------------------------------------------
    def _document_publishers(self) -> None:
        for event_type in events_of(self.service):
            self.broker.publisher(
                event_type.subject(),
                stream=JStream(stream_for(self.service), declare=False),
                schema=event_type,
                title=f"{event_type.subject()}:publish",
                description=(event_type.__doc__ or "").strip(),
            )

    def _document_subscriber(self, consumer: Consumer) -> None:
        # A stand-in that is never started: it lets FastStream describe the payload in AsyncAPI,
        # while the consumer itself is a nats-py pull loop (above) that manages its own acks.
        event_type: type[Event] = consumer.event_type
        doc = self.broker.subscriber(
            event_type.subject(),
            stream=JStream(self.inbound, declare=False),
            durable=consumer.name,
            pull_sub=PullSub(),
            title=f"{event_type.subject()}:{consumer.name}",
            description=(consumer.handler.__doc__ or event_type.__doc__ or "").strip(),
        )

        async def describe(event: Event) -> None:
            """Documentation only."""

        describe.__annotations__ = {"event": event_type, "return": None}

        doc(describe)

    def asyncapi(self, title: str, version: str) -> dict[str, Any]:
        """FastStream's AsyncAPI 3.0 document, completed with the CloudEvents headers of every
        message and real protocol and binding versions (`forum_shared.events.asyncapi`)."""
        document: dict[str, Any] = AsyncAPI(self.broker, title=title, version=version).to_specification().to_jsonable()
        return complete_asyncapi(document)
