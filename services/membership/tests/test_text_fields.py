"""Every string a person or program sends to membership (JSON bodies, query words, and the models
its pages read their forms into) is the kit's `Line` or `Text`, which refuse invisible control
characters with a message a person can act on. That every route and form uses them is checked
for all services at once (`tests/test_every_text_field.py`)."""

import pytest
from pydantic import ValidationError

from membership.schemas import InterestOnJoining, MemberCreate, OrganisationCreate


@pytest.mark.parametrize(
    "model, fields",
    [
        (MemberCreate, {"display_name": "Robin\x00Quill"}),
        (MemberCreate, {"display_name": "Robin", "postal_address": "7 Orchard Row\x1b[2J"}),
        (MemberCreate, {"display_name": "Robin", "connections": ["carer\x85"]}),
        (OrganisationCreate, {"name": "SUN\x07Network", "kind": "Charity"}),
        (InterestOnJoining, {"role_note": "I would like to\x00help"}),
    ],
)
def test_control_characters_are_refused_with_a_message_a_person_can_act_on(model, fields):
    with pytest.raises(ValidationError, match="invisible control characters"):
        model(**fields)


def test_new_lines_are_kept_in_an_address_and_refused_in_a_name():
    assert MemberCreate(display_name="Robin", postal_address="7 Orchard Row\nWhittlesey").postal_address == (
        "7 Orchard Row\nWhittlesey"
    )
    with pytest.raises(ValidationError, match="one line"):
        MemberCreate(display_name="Robin\nQuill")
