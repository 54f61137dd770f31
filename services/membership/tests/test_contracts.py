"""The domain's words and the contracts agree: the values an event or an API field allows are the
domain's own, so an event built from the domain never fails its contract, and a consumer never
meets a value the domain lacks."""

import types
import typing
from enum import StrEnum

from forum_shared.events import events_of
from forum_shared.events.event import Event
from forum_shared.events.registry import EVENT_TYPES
from membership import domain
from membership.schemas import EntryCreate

# (event, field) → the domain enum whose values it allows. Membership's events carry ids, dates
# and free text today; a field that becomes a Literal must be added here with its enum.
EVENT_ENUMS: dict[tuple[type[Event], str], type[StrEnum]] = {}


def literal_values(annotation: object) -> set[str]:
    """The strings a `Literal[...]` field allows, looking inside `Literal[...] | None` and lists."""
    if typing.get_origin(annotation) is typing.Literal:
        return set(typing.get_args(annotation))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list):
        return set().union(*(literal_values(arg) for arg in typing.get_args(annotation)))
    return set()


def membership_events() -> list[type[Event]]:
    """What membership publishes, and what it consumes."""
    consumed = [e for e in EVENT_TYPES.values() if "membership" in getattr(e, "consumed_by", ())]
    return [*events_of("membership"), *consumed]


def test_literal_values_are_found_inside_optional_and_list_fields():
    assert literal_values(typing.Literal["a", "b"] | None) == {"a", "b"}
    assert literal_values(list[typing.Literal["c"]]) == {"c"}
    assert literal_values(str) == set()


def test_membership_publishes_and_consumes_the_events_it_is_known_for():
    names = {e.__name__ for e in membership_events()}
    assert {"MemberJoined", "MemberErased", "InvolvementRoleAssigned", "MeetingHeld", "PopUpForumHeld"} <= names


def test_every_choice_in_an_event_membership_sends_or_reads_is_a_domain_enum_with_exactly_its_values():
    choices = {
        (event, name): literal_values(field.annotation)
        for event in membership_events()
        for name, field in event.model_fields.items()
        if literal_values(field.annotation)
    }
    assert set(choices) == set(EVENT_ENUMS), "map each Literal field to the domain enum it stands for"
    for key, allowed in choices.items():
        assert allowed == {v.value for v in EVENT_ENUMS[key]}, key


def test_staff_record_by_hand_exactly_the_kinds_of_time_the_domain_says_are_recorded_by_hand():
    allowed = literal_values(EntryCreate.model_fields["kind"].annotation)
    assert allowed == {k.value for k in domain.MANUAL_KINDS}
    assert allowed < {k.value for k in domain.EntryKind}
