"""NATS JetStream for one service: its FastStream broker, its own stream, its durable consumers.

Only the owner declares its stream; consumers of other owners' streams bind with `declare=False`
and wait (retrying) until that stream exists, so the services can start in any order. The server
never gives up on a message (`max_deliver=-1`): this module counts attempts itself and, after
`max_deliver`, stores the message as a dead letter before acknowledging it, so nothing is lost
even if the dead-letter write fails at first.
"""

from __future__ import annotations

import asyncio
from typing import Any

from faststream import AckPolicy
from faststream.nats import JStream, NatsBroker, PullSub
from faststream.nats.annotations import NatsMessage
from faststream.security import BaseSecurity
from faststream.specification import AsyncAPI
from nats.js.api import ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError

from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumer, Consumers, process, store_dead_letter
from forum_shared.db import Database
from forum_shared.events import Envelope, Event, InvalidEnvelope, events_of, stream_for
from forum_shared.logs import get_logger
from forum_shared.tasks import stop_if_cancelled

log = get_logger("forum.messaging")


def nats_security(settings: ServiceSettings) -> BaseSecurity | None:
    from faststream.nats.security import NatsCredentials, NatsNKey, NatsUserPassword

    if settings.nats_creds_file:
        return NatsCredentials.from_file(settings.nats_creds_file)
    if settings.nats_nkey_seed_file:
        return NatsNKey.from_file(settings.nats_nkey_seed_file)
    if settings.nats_user:
        return NatsUserPassword(settings.nats_user, settings.nats_password or "")
    return None


class Messaging:
    def __init__(
        self, service: str, settings: ServiceSettings, db: Database, consumers: Consumers
    ) -> None:
        self.service = service
        self.settings = settings
        self.db = db
        self.consumers = consumers
        self.connected = False
        self.subscribed: set[str] = set()
        self.on_connected: list = []  # called on (re)connect, e.g. to wake the outbox relay

        async def on_error(exc: Exception) -> None:
            # A permissions violation does not raise on publish; it only reaches this callback.
            log.warning("nats error", error=str(exc) or type(exc).__name__)

        async def on_disconnected() -> None:
            self.connected = False
            log.warning("nats disconnected")

        async def on_reconnected() -> None:
            self.connected = True
            log.info("nats reconnected")
            for hook in self.on_connected:
                hook()

        self.broker = NatsBroker(
            settings.nats_url,
            name=f"forum-{service}",
            error_cb=on_error,
            disconnected_cb=on_disconnected,
            reconnected_cb=on_reconnected,
            max_reconnect_attempts=-1,
            reconnect_time_wait=1,
            security=nats_security(settings),
            log_level=10,  # FastStream's per-message logs only at DEBUG: they cost ~5x throughput
        )
        self._subscribers = {c.name: self._subscriber(c) for c in consumers}
        self._document_publishers()

    # -- subjects and streams -------------------------------------------------------------
    def subject_of(self, event_type: type[Event]) -> str:
        prefix = "" if event_type.owner == self.service else self.settings.nats_import_prefix
        return prefix + event_type.subject()

    def stream_of(self, owner: str) -> str:
        return self.settings.nats_import_streams.get(owner, stream_for(owner))

    def own_stream_config(self) -> StreamConfig:
        return StreamConfig(
            name=stream_for(self.service),
            subjects=[f"forum.{self.service}.>"],
            storage=StorageType.FILE,
            num_replicas=self.settings.stream_replicas,
            duplicate_window=float(self.settings.stream_duplicate_window_seconds),
            description=f"Partnership Forum events owned by the {self.service} service",
        )

    # -- lifecycle ----------------------------------------------------------------------
    async def run(self) -> None:
        """Connect, declare the own stream, start every consumer; retries until all are up."""
        delay = 0.2
        while True:
            stop_if_cancelled()
            try:
                await self.broker.connect()
                break
            except Exception as exc:  # noqa: BLE001 - NATS may simply not be up yet
                stop_if_cancelled()
                log.warning("nats not reachable; retrying", servers=self.settings.nats_url, error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
        self.connected = True
        for hook in self.on_connected:
            hook()
        await self._retry(self.declare_own_stream, "declare stream")
        pending = dict(self._subscribers)
        delay = 0.2
        while pending:
            for name, sub in list(pending.items()):
                stop_if_cancelled()
                try:
                    await sub.start()
                except Exception as exc:  # noqa: BLE001 - most often: the owner has not started yet
                    stop_if_cancelled()
                    log.info("consumer waiting for its stream", consumer=name, error=str(exc))
                    continue
                self.subscribed.add(name)
                del pending[name]
            if pending:
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)
        log.info("messaging ready", consumers=sorted(self.subscribed))

    async def _retry(self, action, what: str) -> None:
        delay = 0.2
        while True:
            stop_if_cancelled()
            try:
                return await action()
            except Exception as exc:  # noqa: BLE001
                stop_if_cancelled()
                log.warning(f"could not {what}; retrying", error=str(exc))
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5)

    async def declare_own_stream(self) -> None:
        js = self.broker.config.connection_state.stream
        config = self.own_stream_config()
        try:
            await js.add_stream(config)
        except BadRequestError:
            # It exists with another configuration (e.g. made by an operator): bring it in line.
            await js.update_stream(config)

    async def stop(self) -> None:
        try:
            await self.broker.stop()
        except Exception as exc:  # noqa: BLE001 - shutting down anyway
            log.warning("broker stop failed", error=str(exc))
        self.connected = False

    @property
    def nats(self):
        """The service's own nats-py connection, for a plain (not JetStream) subscription such as
        a live page's; None until connected."""
        return self.broker.config.connection_state.connection

    @property
    def ready(self) -> bool:
        conn = self.broker._connection  # noqa: SLF001 - FastStream exposes no public "is connected"
        return bool(conn is not None and conn.is_connected)

    # -- publishing (used by the outbox relay) -------------------------------------------
    async def publish(self, subject: str, body: bytes, headers: dict[str, str]) -> Any:
        js = self.broker.config.connection_state.stream
        return await js.publish(subject, body, timeout=5, stream=stream_for(self.service), headers=headers)

    # -- consuming ----------------------------------------------------------------------
    def _subscriber(self, consumer: Consumer):
        sub = self.broker.subscriber(
            self.subject_of(consumer.event_type),
            stream=JStream(self.stream_of(consumer.event_type.owner), declare=False),
            durable=consumer.name,
            pull_sub=PullSub(batch_size=1, timeout=2),
            ack_policy=AckPolicy.MANUAL,
            config=ConsumerConfig(
                durable_name=consumer.name,
                max_deliver=-1,
                ack_wait=self.settings.ack_wait_seconds,
                deliver_policy=DeliverPolicy.ALL,
            ),
            title=f"{consumer.name}:{consumer.event_type.__name__}",
            description=(consumer.handler.__doc__ or "").strip() or None,
            include_in_schema=False,
        )

        async def deliver(msg: NatsMessage) -> None:
            await self.deliver(consumer, msg)

        sub(deliver)
        self._document_subscriber(consumer)
        return sub

    async def deliver(self, consumer: Consumer, msg: NatsMessage) -> None:
        raw = msg.raw_message
        attempts = raw.metadata.num_delivered if raw.metadata else 1
        headers = dict(raw.headers or {})
        try:
            envelope = Envelope.decode(headers, raw.data)
            if not isinstance(envelope.data, consumer.event_type):
                raise InvalidEnvelope(f"expected {consumer.event_type.type_name()}, got {envelope.type}")
        except InvalidEnvelope as exc:
            # Retrying cannot fix a malformed message: dead-letter it at once.
            await self._dead_letter_or_retry(consumer, msg, headers, f"{exc}", attempts, final=True)
            return
        try:
            await process(self.db, consumer, envelope)
        except Exception as exc:  # noqa: BLE001 - any handler error: retry, then dead-letter
            error = f"{type(exc).__name__}: {exc}"
            final = attempts >= self.settings.max_deliver
            await self._dead_letter_or_retry(consumer, msg, headers, error, attempts, final=final)
            return
        await msg.ack()

    async def _dead_letter_or_retry(
        self, consumer: Consumer, msg: NatsMessage, headers: dict, error: str, attempts: int, *, final: bool
    ) -> None:
        raw = msg.raw_message
        if not final:
            delay = self.settings.retry_backoff_seconds * 2 ** (attempts - 1)
            log.warning("event failed; will retry", consumer=consumer.name, attempt=attempts, error=error[:300])
            await msg.nack(delay=min(delay, 300))
            return
        try:
            await store_dead_letter(
                self.db,
                consumer=consumer.name,
                subject=raw.subject,
                headers=headers,
                body=raw.data,
                error=error,
                attempts=attempts,
            )
        except Exception as exc:  # noqa: BLE001 - keep the message in NATS until it is stored
            log.error("could not store dead letter; will retry", error=str(exc))
            await msg.nack(delay=self.settings.retry_backoff_seconds)
            return
        await msg.ack()

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
        # while the real subscriber (above) takes the raw message to manage acks itself.
        event_type = consumer.event_type
        doc = self.broker.subscriber(
            self.subject_of(event_type),
            stream=JStream(self.stream_of(event_type.owner), declare=False),
            durable=f"{consumer.name}-doc",
            pull_sub=PullSub(),
            title=f"{self.subject_of(event_type)}:{consumer.name}",
            description=(consumer.handler.__doc__ or event_type.__doc__ or "").strip(),
        )

        async def describe(event) -> None:
            """Documentation only."""

        describe.__annotations__ = {"event": event_type, "return": None}

        doc(describe)

    def asyncapi(self, title: str, version: str) -> dict:
        return AsyncAPI(self.broker, title=title, version=version).to_specification().to_jsonable()
