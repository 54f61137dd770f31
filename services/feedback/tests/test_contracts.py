"""The domain's enums and the published event contracts name the same values: an event built from
the domain never fails its contract, and a consumer never meets a value the domain lacks."""

import types
import typing
from enum import StrEnum

import pytest

from feedback.domain import Outcome, Polarity, RaisedBy, SourceKind
from forum_shared.events.feedback import (
    EscalationOverdue,
    FeedbackReceived,
    FeedbackResponded,
    IssueEscalated,
)


def literal_values(annotation: object) -> set[str]:
    """The strings a `Literal[...]` field allows, looking inside `Literal[...] | None`."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType):
        return set().union(*(literal_values(arg) for arg in typing.get_args(annotation)))
    return set()


@pytest.mark.parametrize(
    ("enum", "event", "field"),
    [
        (Polarity, FeedbackReceived, "polarity"),
        (RaisedBy, IssueEscalated, "raised_by"),
        (RaisedBy, EscalationOverdue, "raised_by"),
        (Outcome, FeedbackResponded, "outcome"),
    ],
    ids=["polarity", "raised_by-escalated", "raised_by-overdue", "outcome"],
)
def test_each_domain_enum_has_exactly_the_values_its_event_field_allows(enum: type[StrEnum], event, field):
    allowed = literal_values(event.model_fields[field].annotation)
    assert allowed, f"{event.__name__}.{field} is no longer a Literal"
    assert {member.value for member in enum} == allowed


def test_every_source_kind_is_named_in_the_feedback_received_contract():
    described = FeedbackReceived.model_fields["source_kind"].description or ""
    assert all(kind.value in described for kind in SourceKind)
