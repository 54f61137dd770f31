"""The governors' watch: follow escalations as they are raised, and catch up after being offline.

Governors have a NATS account of their own. Its stream `ESCALATIONS` sources the escalation events
from the feedback owner's stream, and each governor has a durable consumer of their own
(`governor-<name>`) on it, so escalations raised while they were offline — even for days — wait for
them, in order. A governor's key may only read and acknowledge that one consumer: governors cannot
publish events or administer any stream. Each escalation is shown once: it is acknowledged only
after it has been shown, and the ids already shown are remembered, so one published twice (after
JetStream's duplicate window) is not shown again.
"""

from __future__ import annotations

import asyncio
import json
from collections import deque
from collections.abc import Awaitable, Callable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy, StorageType, StreamConfig
from nats.js.errors import BadRequestError, NotFoundError, ServerError, ServiceUnavailableError

from forum_shared.consumers import check_from_owner
from forum_shared.events import Envelope, EscalationOverdue, InvalidEnvelope, IssueEscalated
from forum_shared.messaging import fetch_ready
from forum_shared.streams import (
    ESCALATIONS_STREAM,
    GOVERNORS,
    consumed_events,
    governor_durable,
    sources,
)
from forum_shared.tasks import stop_if_cancelled

if TYPE_CHECKING:
    from nats.aio.client import Client
    from nats.js import JetStreamContext

T = TypeVar("T")
WATCHED = tuple(consumed_events(GOVERNORS))  # IssueEscalated and EscalationOverdue
# Longer than any governor is away; older escalations are on the feedback service's pages.
ESCALATIONS_KEPT_DAYS = 400


def durable_name(governor: str) -> str:
    return governor_durable(governor)


async def ensure_escalations(js: JetStreamContext, accounts: Mapping[str, str]) -> None:
    """Declare the governors' stream (an operator does this, with the governors' admin key)."""
    config = StreamConfig(
        name=ESCALATIONS_STREAM,
        description="Escalations for governors, sourced from the feedback owner's stream",
        sources=sources(GOVERNORS, WATCHED, accounts),
        storage=StorageType.FILE,
        max_age=ESCALATIONS_KEPT_DAYS * 24 * 60 * 60,
    )
    try:
        await js.add_stream(config)
    except BadRequestError:
        await js.update_stream(config)


async def ensure_place(js: JetStreamContext, governor: str, *, new_only: bool = False) -> str:
    """A governor's own durable consumer: from the first escalation kept, or (`new_only`) from
    now on. Returns its name."""
    durable = durable_name(governor)
    try:
        await js.consumer_info(ESCALATIONS_STREAM, durable)
    except NotFoundError:
        await js.add_consumer(
            ESCALATIONS_STREAM,
            ConsumerConfig(
                durable_name=durable,
                ack_policy=AckPolicy.EXPLICIT,
                deliver_policy=DeliverPolicy.NEW if new_only else DeliverPolicy.ALL,
                max_deliver=-1,
            ),
        )
    return durable


# JetStream's "error creating store for stream": the account's JetStream is being set up again by
# the reload, so a stream asked for then cannot be stored yet.
STORE_NOT_READY = 10049


async def patiently(action: Callable[[], Awaitable[T]], seconds: float = 15) -> T:
    """Run `action`, trying again for a while if the server is reloading its configuration (just
    after a governor is added): a new key is refused, and JetStream is away or cannot yet store a
    new stream, for a moment (a request made then may get no answer at all: each action here is
    safe to ask again)."""
    deadline = asyncio.get_running_loop().time() + seconds
    while True:
        try:
            return await action()
        except (nats.errors.Error, ConnectionError) as exc:  # a reload may drop a connection being made
            reloading = (
                isinstance(
                    exc, (ServiceUnavailableError, nats.errors.NoRespondersError, nats.errors.TimeoutError,
                          nats.errors.ConnectionClosedError, ConnectionError)
                )
                or (isinstance(exc, ServerError) and exc.err_code == STORE_NOT_READY)
                or ("authorization violation" in str(exc).lower())
            )
            if not reloading or asyncio.get_running_loop().time() > deadline:
                raise
            await asyncio.sleep(0.2)


async def give_place(
    connect: Callable[[], Awaitable[Client]], governor: str, accounts: Mapping[str, str], *, new_only: bool = False
) -> str:
    """The escalations stream and `governor`'s place in it (`ensure_escalations`, `ensure_place`),
    made on a connection of the governors' administrator from `connect`: all of it again, on a new
    connection, if the server reloading its configuration (as it does just after a governor is
    added) closes the one in use. Returns their durable consumer's name."""

    async def once() -> str:
        nc = await connect()
        try:
            js = nc.jetstream()
            await ensure_escalations(js, accounts)
            return await ensure_place(js, governor, new_only=new_only)
        finally:
            await nc.close()

    return await patiently(once)


class ShownEscalations:
    """The ids of escalations already shown to one governor, kept in a small file."""

    def __init__(self, path: Path | None, keep: int = 20_000) -> None:
        self.path = path
        self.ids: deque[str] = deque(maxlen=keep)
        if path and path.exists():
            lines = path.read_text().split()
            self.ids.extend(lines)
            if len(lines) > keep:
                path.write_text("".join(f"{i}\n" for i in self.ids))
        self._known = set(self.ids)

    def __contains__(self, event_id: str) -> bool:
        return event_id in self._known

    def add(self, event_id: str) -> None:
        if len(self.ids) == self.ids.maxlen:
            self._known.discard(self.ids[0])
        self.ids.append(event_id)
        self._known.add(event_id)
        if self.path:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a") as out:
                out.write(event_id + "\n")


def readable(envelope: Envelope) -> str:
    """How an escalation reads in a terminal."""
    event = envelope.data
    when = envelope.time.strftime("%a %d %b %Y %H:%M UTC")
    if isinstance(event, IssueEscalated):
        themes = ", ".join(event.themes) or "none given"
        return "\n".join(
            [
                f"ESCALATION RAISED  {when}  (route: {event.raised_by.replace('_', ' ')})",
                f"  {event.summary}",
                f"  Reason: {event.reason}",
                f"  Themes: {themes} · Area: {event.area or 'county-wide'}"
                f" · Linked feedback: {len(event.feedback_ids)}",
                f"  Respond by: {event.respond_by:%a %d %b %Y}   (id {event.escalation_id})",
            ]
        )
    # The governors' stream carries nothing else (WATCHED): what is not raised is overdue.
    overdue = cast(EscalationOverdue, event)
    return "\n".join(
        [
            f"ESCALATION OVERDUE  {when}",
            f"  {overdue.summary}",
            f"  No response by {overdue.respond_by:%a %d %b %Y}   (id {overdue.escalation_id})",
        ]
    )


def as_json(envelope: Envelope) -> str:
    return json.dumps(
        {"id": envelope.id, "type": envelope.type, "time": envelope.time.isoformat(),
         "data": envelope.data.model_dump(mode="json")}
    )


class NoPlace(RuntimeError):
    """The governor has no durable consumer yet, and may not make one."""


async def watch(
    governor: str,
    nats_url: list[str] | str,
    show: Callable[[Envelope], Awaitable[None] | None],
    *,
    new_only: bool = False,
    stop: asyncio.Event | None = None,
    connect_options: dict[str, Any] | None = None,
    shown: ShownEscalations | None = None,
    accounts: Mapping[str, str] | None = None,
) -> None:
    """Call `show` for each escalation, once, in order, until `stop` is set.

    With a governor's own key the place must exist already (`forum governors add`). Connected
    with more rights (a server without accounts), the stream and the place are made if missing,
    sourcing as `accounts` says (by default: everything in one account)."""
    stop = stop or asyncio.Event()
    shown = shown or ShownEscalations(None)
    durable = durable_name(governor)
    options = connect_options or {}
    # nats-py retries a refused key for ever when it may reconnect: check the key once first
    # (patiently: just after a governor is added the server may still be reloading).
    probe = await patiently(lambda: nats.connect(nats_url, allow_reconnect=False, max_reconnect_attempts=0, **options))
    await probe.close()
    nc = await nats.connect(nats_url, max_reconnect_attempts=-1, **options)
    try:
        js = nc.jetstream(timeout=5)
        try:
            await patiently(lambda: js.consumer_info(ESCALATIONS_STREAM, durable))
        except NotFoundError:
            await _make_place(js, governor, new_only, accounts or {})
        except (TimeoutError, nats.errors.TimeoutError) as exc:
            raise NoPlace(f"NATS did not answer for {durable} (wrong key, or no such governor?)") from exc
        sub = await js.pull_subscribe_bind(durable, ESCALATIONS_STREAM)
        while not stop.is_set():
            stop_if_cancelled()  # nats-py's fetch can turn a cancellation into a timeout
            try:
                messages = await fetch_ready(sub, 10, timeout=1)
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            for msg in messages:
                headers = dict(msg.headers or {})
                try:
                    envelope = Envelope.decode(headers, msg.data)
                    check_from_owner(envelope, msg.subject, headers)
                except InvalidEnvelope as exc:
                    print(f"(skipped a message that is not a real escalation: {exc})", flush=True)
                    await msg.ack_sync()
                    continue
                if envelope.id not in shown:
                    result = show(envelope)
                    if asyncio.iscoroutine(result):
                        await result
                    shown.add(envelope.id)
                await msg.ack_sync()
    finally:
        await nc.close()


async def _make_place(js: JetStreamContext, governor: str, new_only: bool, accounts: Mapping[str, str]) -> None:
    try:
        await ensure_escalations(js, accounts)
        await ensure_place(js, governor, new_only=new_only)
    except (TimeoutError, nats.errors.TimeoutError, nats.js.errors.APIError) as exc:
        raise NoPlace(
            f"there is no place for {governor!r} among the governors yet; the forum's NATS operator "
            f"adds one with `forum governors add --name {governor!r}`"
        ) from exc
