"""Reading an older major version of an event as its newer one, so a consumer moves to v2 alone.

A breaking change to an event is a new major version beside the old one: `IssueEscalatedV2`
(`version = 2`) in the owner's module, published on `forum.feedback.issue_escalated.v2` while v1
stays frozen. The change comes with an *upcaster*, a pure function from v1 to v2, registered here
next to the v2 contract:

    @upcaster(IssueEscalated, IssueEscalatedV2)
    def escalation_v2(old: IssueEscalated) -> IssueEscalatedV2: ...

A consumer of v2 then also accepts v1, whether the owner still publishes v1 or the event is one of
the years of v1 its streams keep, by converting each v1 envelope (`UPCASTERS.envelope(envelope,
IssueEscalatedV2)`): same id, source, time and causation, so the inbox still skips a redelivery.
Steps chain (v1 → v2 → v3), and each step goes to the next major version of the same event from
the same owner.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from forum_shared.events.base import Envelope
from forum_shared.events.event import Event, InvalidEnvelope

Old = TypeVar("Old", bound=Event)
New = TypeVar("New", bound=Event)
Step = Callable[[Any], Event]


class Upcasters:
    """The steps from each event version to its next major version."""

    def __init__(self) -> None:
        self._steps: dict[type[Event], tuple[type[Event], Step]] = {}

    def register(
        self, older: type[Old], newer: type[New]
    ) -> Callable[[Callable[[Old], New]], Callable[[Old], New]]:
        """Decorate the function that turns an `older` event into a `newer` one."""
        if (older.owner, older.event_name()) != (newer.owner, newer.event_name()):
            raise ValueError(f"{older.type_name()} and {newer.type_name()} are not versions of one event")
        if newer.version != older.version + 1:
            raise ValueError(f"{older.type_name()} upcasts to the next major version, not {newer.type_name()}")
        if older in self._steps:
            raise ValueError(f"{older.type_name()} already upcasts to {self._steps[older][0].type_name()}")

        def register(step: Callable[[Old], New]) -> Callable[[Old], New]:
            self._steps[older] = (newer, step)
            return step

        return register

    def accepted(self, event_type: type[Event]) -> list[type[Event]]:
        """`event_type` and every older version a consumer of it also accepts, newest first."""
        older = {newer: old for old, (newer, _) in self._steps.items()}
        versions = [event_type]
        while versions[-1] in older:
            versions.append(older[versions[-1]])
        return versions

    def upcast(self, event: Event, to: type[New]) -> New:
        """`event` as the `to` version, one step at a time; `InvalidEnvelope` if there is no way."""
        current = event
        while not isinstance(current, to):
            if type(current) not in self._steps:
                raise InvalidEnvelope(f"{event.type_name()} cannot be read as {to.type_name()}")
            newer, step = self._steps[type(current)]
            current = step(current)
            if type(current) is not newer:
                raise TypeError(f"the upcaster to {newer.type_name()} returned a {type(current).__name__}")
        return current

    def envelope(self, envelope: Envelope, to: type[Event]) -> Envelope:
        """The envelope of `envelope`'s event as the `to` version, with the same CloudEvents
        attributes but the new type."""
        event = self.upcast(envelope.data, to)
        if event is envelope.data:
            return envelope
        return envelope.model_copy(update={"data": event, "type": to.type_name()})


UPCASTERS = Upcasters()
upcaster = UPCASTERS.register
