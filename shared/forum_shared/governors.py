"""The governors' watch: follow escalations as they are raised, and catch up after being offline.

Each governor has a durable JetStream consumer of their own (`governor-<name>`) on the feedback
owner's stream, so escalations raised while they were offline wait for them, and each one is shown
once: it is acknowledged only after it has been printed.
"""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Awaitable, Callable

import nats
from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy
from nats.js.errors import NotFoundError

from forum_shared.events import Envelope, EscalationOverdue, InvalidEnvelope, IssueEscalated, stream_for

WATCHED = (IssueEscalated, EscalationOverdue)


def durable_name(governor: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", governor.strip().lower()).strip("-")
    if not slug:
        raise ValueError("a governor's name must contain a letter or digit")
    return f"governor-{slug}"


async def _wait_for_stream(js, stream: str, stop: asyncio.Event) -> None:
    """The feedback service creates its stream when it first starts; until then, wait."""
    told = False
    while not stop.is_set():
        try:
            await js.stream_info(stream)
            return
        except NotFoundError:
            if not told:
                print(f"Waiting for stream {stream}: is the feedback service running?", flush=True)
                told = True
            await asyncio.sleep(1)


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
    return "\n".join(
        [
            f"ESCALATION OVERDUE  {when}",
            f"  {event.summary}",
            f"  No response by {event.respond_by:%a %d %b %Y}   (id {event.escalation_id})",
        ]
    )


def as_json(envelope: Envelope) -> str:
    return json.dumps(
        {"id": envelope.id, "type": envelope.type, "time": envelope.time.isoformat(),
         "data": envelope.data.model_dump(mode="json")}
    )


async def watch(
    governor: str,
    nats_url: list[str] | str,
    show: Callable[[Envelope], Awaitable[None] | None],
    *,
    stream: str | None = None,
    prefix: str = "",
    new_only: bool = False,
    stop: asyncio.Event | None = None,
    connect_options: dict | None = None,
) -> None:
    """Call `show` for each escalation, once, in order, until `stop` is set."""
    stop = stop or asyncio.Event()
    stream = stream or stream_for("feedback")
    nc = await nats.connect(nats_url, max_reconnect_attempts=-1, **(connect_options or {}))
    try:
        js = nc.jetstream()
        durable = durable_name(governor)
        await _wait_for_stream(js, stream, stop)
        try:
            await js.consumer_info(stream, durable)
        except NotFoundError:
            await js.add_consumer(
                stream,
                ConsumerConfig(
                    durable_name=durable,
                    filter_subjects=[prefix + e.subject() for e in WATCHED],
                    ack_policy=AckPolicy.EXPLICIT,
                    deliver_policy=DeliverPolicy.NEW if new_only else DeliverPolicy.ALL,
                    max_deliver=-1,
                ),
            )
        sub = await js.pull_subscribe_bind(durable, stream)
        while not stop.is_set():
            try:
                messages = await sub.fetch(batch=10, timeout=1)
            except (TimeoutError, nats.errors.TimeoutError):
                continue
            for msg in messages:
                try:
                    envelope = Envelope.decode(msg.headers, msg.data)
                except InvalidEnvelope as exc:
                    print(f"(skipped a message that is not a valid escalation: {exc})")
                    await msg.term()
                    continue
                result = show(envelope)
                if asyncio.iscoroutine(result):
                    await result
                await msg.ack_sync()
    finally:
        await nc.close()
