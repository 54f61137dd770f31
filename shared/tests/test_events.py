"""Event contracts: names, subjects, descriptions, and the CloudEvents envelope."""

from datetime import UTC, date, datetime

import pytest

from forum_shared.events import (
    EVENT_TYPES,
    Envelope,
    FeedbackReceived,
    InvalidEnvelope,
    IssueEscalated,
    MemberJoined,
)

REQUIRED = {
    "membership": {"MemberJoined", "MemberLeft", "MemberErased", "InvolvementRoleAssigned", "InvolvementRoleEnded"},
    "meetings": {"MeetingScheduled", "MeetingCancelled", "MeetingHeld", "PopUpForumHeld", "ActionAgreed"},
    "feedback": {"FeedbackReceived", "IssueEscalated", "EscalationAcknowledged", "FeedbackResponded"},
    "signposting": {"CommunityGroupRegistered", "CommunityGroupWithdrawn", "SignpostingGiven"},
}


def test_every_required_event_is_registered_under_its_owner():
    for owner, names in REQUIRED.items():
        registered = {cls.__name__ for cls in EVENT_TYPES.values() if cls.owner == owner}
        assert names <= registered, f"{owner} lacks {names - registered}"


def test_subjects_follow_forum_owner_event_version():
    assert IssueEscalated.subject() == "forum.feedback.issue_escalated.v1"
    assert MemberJoined.stream() == "MEMBERSHIP"
    for type_name, cls in EVENT_TYPES.items():
        assert type_name == f"forum.{cls.owner}.{cls.event_name()}.v{cls.version}"


def test_every_field_of_every_event_is_described():
    for cls in EVENT_TYPES.values():
        assert cls.__doc__, f"{cls.__name__} needs a docstring"
        for name, field in cls.model_fields.items():
            assert field.description, f"{cls.__name__}.{name} needs a description"


def test_an_envelope_survives_the_trip_through_headers_and_body():
    event = FeedbackReceived(feedback_id="f1", received_at=datetime.now(UTC), channel="online", themes=["access"])
    envelope = Envelope.wrap(event, source="/forum/feedback", causation_id="req-1")
    headers = envelope.headers()
    assert headers["Nats-Msg-Id"] == headers["ce-id"] == envelope.id
    assert headers["ce-type"] == "forum.feedback.feedback_received.v1"
    assert headers["ce-causationid"] == "req-1"
    back = Envelope.decode(headers, envelope.body())
    assert back == envelope


def test_consumers_ignore_fields_added_later_in_the_same_major_version():
    event = MemberJoined(member_id="m1", joined_at=datetime.now(UTC))
    envelope = Envelope.wrap(event, source="/forum/membership")
    body = envelope.body().replace(b"{", b'{"favourite_colour":"teal",', 1)
    assert Envelope.decode(envelope.headers(), body).data == event


CE_HEADERS = {"ce-id": "1", "ce-source": "/x", "ce-time": "2026-01-01T00:00:00+00:00"}


@pytest.mark.parametrize(
    ("headers", "body", "reason"),
    [
        ({}, b"{}", "missing CloudEvents header"),
        ({**CE_HEADERS, "ce-type": "forum.nobody.thing.v1"}, b"{}", "unknown event type"),
        ({**CE_HEADERS, "ce-type": IssueEscalated.type_name()}, b"{not json", "invalid event payload"),
        ({**CE_HEADERS, "ce-type": IssueEscalated.type_name()}, b'{"escalation_id": "e1"}', "summary: Field required"),
    ],
)
def test_a_message_that_cannot_be_an_event_says_why(headers, body, reason):
    with pytest.raises(InvalidEnvelope, match=reason):
        Envelope.decode(headers, body)


def test_escalations_carry_no_contact_details():
    fields = set(IssueEscalated.model_fields)
    assert not fields & {"email", "phone", "contact_email", "contact_phone", "text", "name"}
    assert IssueEscalated(
        escalation_id="e", summary="s", reason="r", raised_by="staff", respond_by=date(2026, 12, 1),
        raised_at=datetime.now(UTC),
    ).feedback_ids == []


def _string_kinds(annotation) -> list[object]:
    """The FieldKind of each string in a field's type (None for a plain, unmarked string)."""
    import typing

    from forum_shared.events.event import FieldKind

    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *metadata = typing.get_args(annotation)
        if inner is str:
            return [next((m for m in metadata if isinstance(m, FieldKind)), None)]
        return _string_kinds(inner)
    if origin is typing.Literal:
        return []
    if annotation is str:
        return [None]
    return [kind for arg in typing.get_args(annotation) for kind in _string_kinds(arg)]


def test_an_event_carries_free_text_only_where_its_catalogue_says_why():
    """Each string in an event is an id, a word from one of the forum's lists, or free text that the
    event names with the reason it is needed. Free text is where a name could be typed."""
    import typing

    from forum_shared.events import EVENT_TYPES

    unexplained = []
    for cls in EVENT_TYPES.values():
        for name, field in cls.model_fields.items():
            # pydantic keeps a bare `Id`'s marker on the field, and an `Id | None`'s in the type.
            kinds = _string_kinds(typing.Annotated[field.annotation, *field.metadata] if field.metadata
                                  else field.annotation)
            if None in kinds and not cls.free_text.get(name, "").strip():
                unexplained.append(f"{cls.__name__}.{name}")
        assert set(cls.free_text) <= set(cls.model_fields), cls
    assert unexplained == [], f"free text with no reason given in free_text: {unexplained}"
