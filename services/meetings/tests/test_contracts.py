"""The words meetings keeps agree with its event contracts and what its API documents: where an
event field or a response field is a fixed set of words, a domain enum has exactly those words."""

import typing
from enum import StrEnum

from forum_shared.events.registry import events_of
from meetings.domain import ActionStatus, AgendaKind, MeetingStatus, PopUpStatus, RegistrationStatus
from meetings.schemas.actions import ActionPublic
from meetings.schemas.agenda import AgendaItemPublic
from meetings.schemas.meetings import MeetingPublic
from meetings.schemas.pop_ups import PopUpForumPublic
from meetings.schemas.registrations import RegistrationPublic

# (event, field) → the domain enum whose values the field's Literal must list, for every Literal
# field of an event meetings publishes. None today: its events carry ids, times and numbers.
EVENT_WORDS: dict[tuple[str, str], type[StrEnum]] = {}

RESPONSE_WORDS = [
    (MeetingPublic, "status", MeetingStatus),
    (PopUpForumPublic, "status", PopUpStatus),
    (RegistrationPublic, "status", RegistrationStatus),
    (ActionPublic, "status", ActionStatus),
    (AgendaItemPublic, "kind", AgendaKind),
]


def _literal_values(annotation: object) -> set[str] | None:
    if typing.get_origin(annotation) is typing.Literal:
        return {str(v) for v in typing.get_args(annotation)}
    for arg in typing.get_args(annotation):
        found = _literal_values(arg)
        if found is not None:
            return found
    return None


def test_every_fixed_set_of_words_in_the_meetings_events_is_a_domain_enum_with_exactly_those_words():
    found: dict[tuple[str, str], set[str]] = {}
    for event in events_of("meetings"):
        for name, field in event.model_fields.items():
            words = _literal_values(field.annotation)
            if words is not None:
                found[(event.__name__, name)] = words
    assert set(found) == set(EVENT_WORDS), "each Literal field of a meetings event needs its domain enum"
    for key, words in found.items():
        assert words == {e.value for e in EVENT_WORDS[key]}, key


def test_the_statuses_and_kinds_the_api_documents_are_exactly_the_domains():
    for model, field, enum in RESPONSE_WORDS:
        schema = model.model_json_schema()
        prop = schema["properties"][field]
        ref = prop.get("$ref") or next(p["$ref"] for p in prop.get("allOf", []) if "$ref" in p)
        documented = schema["$defs"][ref.rsplit("/", 1)[-1]]["enum"]
        assert sorted(documented) == sorted(e.value for e in enum), (model.__name__, field)

