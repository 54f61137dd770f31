"""The forum's NATS streams and names, as everyone who uses them spells them: a service declaring
its streams (`forum_shared.messaging`), the governors' watch (`forum_shared.governors`) and the
server's configuration (`forum_shared.federation`).

Everything here follows from the event catalogue (each event's `owner` and `consumed_by`) and a
service's settings, and imports nothing from those three, so each of them can build on it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from nats.js.api import DiscardPolicy, ExternalStream, StorageType, StreamConfig, StreamSource

from forum_shared.config import ServiceSettings
from forum_shared.events import EVENT_TYPES, Event, stream_for
from forum_shared.events.event import OWNERS

SERVICES = OWNERS
GOVERNORS = "governors"  # the governors' watch, a consumer like the services
ESCALATIONS_STREAM = "ESCALATIONS"
DAY = 24 * 60 * 60


def inbound_stream(consumer: str) -> str:
    """The stream in the consumer's own account holding exactly the events it consumes."""
    return ESCALATIONS_STREAM if consumer == GOVERNORS else f"{consumer.upper()}_INBOUND"


def api_prefix(owner: str) -> str:
    """Where an owner's JetStream API (its consumer-create subjects only) is imported."""
    return f"$JS.from-{owner}.API"


def deliver_prefix(owner: str, consumer: str) -> str:
    """Subjects on which the owner's account delivers sourced events to one consumer's account."""
    return f"forum-deliver.{owner}.{consumer}"


def inbox_prefix(user: str) -> str:
    """Each user gets replies under its own prefix, so no user can read another's replies."""
    return f"_INBOX.{user}"


def governor_slug(name: str) -> str:
    slug = re.sub(r"[^a-z0-9_-]+", "-", name.strip().lower()).strip("-")
    if not slug:
        raise ValueError("a governor's name must contain a letter or digit")
    return slug


def governor_durable(name: str) -> str:
    return f"governor-{governor_slug(name)}"


def consumed_events(consumer: str) -> list[type[Event]]:
    """The event types the catalogue says `consumer` (a service, or "governors") reacts to."""
    return [cls for cls in EVENT_TYPES.values() if consumer in cls.consumed_by]


def sources(consumer: str, event_types: Iterable[type[Event]], accounts: Mapping[str, str]) -> list[StreamSource]:
    """Sources of a consumer's inbound stream: one per event type, so an owner's export can name
    each subject it lets out. `accounts` maps service (or "governors") to its account; an owner in
    the same account (or a deployment with no accounts) is sourced directly."""
    mine = accounts.get(consumer, "")
    result = []
    for event_type in sorted(set(event_types), key=lambda e: e.subject()):
        owner = event_type.owner
        external = None
        if accounts.get(owner, "") != mine:
            external = ExternalStream(api=api_prefix(owner), deliver=deliver_prefix(owner, consumer))
        result.append(StreamSource(name=stream_for(owner), filter_subject=event_type.subject(), external=external))
    return result


def retention(settings: ServiceSettings) -> dict[str, Any]:
    """How long and how a service's streams (its own and its inbound one) keep events."""
    return {
        "storage": StorageType.FILE,
        "num_replicas": settings.stream_replicas,
        # Limited by age: long enough to rebuild any partner's records (see the README).
        "max_age": settings.stream_max_age_days * DAY,
        "max_bytes": settings.stream_max_bytes,
        "discard": DiscardPolicy.OLD,
        # Events are small (ids, not documents); anything bigger is a mistake.
        "max_msg_size": 64 * 1024,
        "duplicate_window": float(min(settings.stream_duplicate_window_seconds, settings.stream_max_age_days * DAY)),
    }


def own_stream_config(service: str, settings: ServiceSettings) -> StreamConfig:
    """The stream an owner keeps its events in (`forum.<owner>.>`), as the owner declares it."""
    return StreamConfig(
        name=stream_for(service),
        subjects=[f"forum.{service}.>"],
        description=f"Partnership Forum events owned by the {service} service",
        **retention(settings),
    )
