"""The base of every event contract (`Event`), and the names every contract and every envelope share.

It imports no contract and no envelope: the contracts (`feedback`, `meetings` …) build on it, the
catalogue (`registry`) gathers them, and the envelope (`base.Envelope`) decodes by the catalogue.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Annotated, Any, ClassVar

from pydantic import BaseModel, ConfigDict

OWNERS = ("membership", "meetings", "feedback", "signposting")


def subject_for(owner: str, name: str, version: int) -> str:
    """`forum.<owner>.<event_name>.v<major>`, e.g. `forum.feedback.issue_escalated.v1`."""
    return f"forum.{owner}.{name}.v{version}"


def stream_for(owner: str) -> str:
    """Each owner keeps one JetStream stream for `forum.<owner>.>`, named after it: `FEEDBACK`."""
    return owner.upper()


class FieldKind(StrEnum):
    """What a string in an event is. Anything else is free text, which an event may carry only if
    its class names the field in `free_text` with the reason it is needed (people type free text,
    and may type a name into it: the bus carries no personal data)."""

    ID = "id"  # an identifier, e.g. a member's id
    CODE = "code"  # a word from a list the forum keeps: an area, a theme, a channel, a status


Id = Annotated[str, FieldKind.ID]
Code = Annotated[str, FieldKind.CODE]


def source_of(owner: str) -> str:
    """The CloudEvents `source` of every event an owner publishes, e.g. `/forum/feedback`."""
    return f"/forum/{owner}"


@functools.cache  # a class's name: every event of it asks again
def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


class Event(BaseModel):
    """Base of every event contract.

    Within a major version contracts change additively only, and consumers ignore fields they do
    not know (`extra="ignore"`), so an owner can add a field without breaking anyone.
    """

    model_config = ConfigDict(extra="ignore", frozen=True)

    owner: ClassVar[str]
    version: ClassVar[int] = 1
    # Who reacts to it: services, or "governors" (the governors' watch). The NATS accounts'
    # exports and imports are made from this, so each receives exactly what it consumes.
    consumed_by: ClassVar[tuple[str, ...]] = ()
    # Free-text fields it carries, each with the reason it must (see FieldKind).
    free_text: ClassVar[Mapping[str, str]] = {}
    # The field naming the one thing it is about (a meeting, an escalation, a member): its
    # aggregate. None means its first `…_id` field. Events of one type about one aggregate reach
    # consumers in the order their changes committed (see `forum_shared.outbox`).
    aggregate_field: ClassVar[str | None] = None

    @classmethod
    def aggregate_id_field(cls) -> str:
        if cls.aggregate_field:
            return cls.aggregate_field
        return next(name for name in cls.model_fields if name.endswith("_id"))

    def aggregate(self) -> str:
        """`meeting_id=…` within its owner: the key its order is kept by."""
        field = self.aggregate_id_field()
        return f"{self.owner}:{field}={getattr(self, field)}"

    @classmethod
    def event_name(cls) -> str:
        """`issue_escalated` for `IssueEscalated`, and for its next major version `IssueEscalatedV2`
        (`version = 2`): both versions of an event share its name and differ in the subject's `v<major>`."""
        name = cls.__name__
        suffix = f"V{cls.version}"
        if cls.version > 1 and name.endswith(suffix):
            name = name.removesuffix(suffix)
        return _snake(name)

    @classmethod
    def subject(cls) -> str:
        return subject_for(cls.owner, cls.event_name(), cls.version)

    @classmethod
    def type_name(cls) -> str:
        """The CloudEvents `type`; the same text as the subject, so one name is used everywhere."""
        return cls.subject()

    @classmethod
    def stream(cls) -> str:
        return stream_for(cls.owner)


class InvalidEnvelope(ValueError):
    """A message that can never be processed as it is: retrying will not help. (Here, below the
    catalogue, which raises it for a type it does not know.)"""


def describe(model: type[Event]) -> dict[str, Any]:
    """A short description of an event type, for catalogues and the AsyncAPI document."""
    return {
        "type": model.type_name(),
        "subject": model.subject(),
        "stream": model.stream(),
        "owner": model.owner,
        "meaning": (model.__doc__ or "").strip().splitlines()[0],
    }
