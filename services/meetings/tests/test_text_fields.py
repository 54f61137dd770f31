"""Every string a person or program sends to meetings (JSON bodies, query words, and the models its
pages read their forms into) is the kit's `Line` or `Text`, which refuse invisible control
characters with a message a person can act on. That every route and form uses them is checked
for all services at once (`tests/test_every_text_field.py`)."""

import pytest
from pydantic import ValidationError

from meetings.schemas.actions import ActionCreate
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.registrations import RegistrationCreate


@pytest.mark.parametrize(
    "model, fields",
    [
        (RegistrationCreate, {"name": "Ann\x00 Lee"}),
        (RegistrationCreate, {"name": "Ann", "access_notes": "Step-free\x1b[2J"}),
        (ActionCreate, {"description": "Write to the ICB", "owner_name": "SUN\x85Network"}),
        (CancellationCreate, {"reason": "Snow\x07"}),
    ],
)
def test_control_characters_are_refused_with_a_message_a_person_can_act_on(model, fields):
    with pytest.raises(ValidationError, match="invisible control characters"):
        model(**fields)


def test_new_lines_are_kept_where_people_write_more_than_one_line_and_refused_in_a_name():
    assert RegistrationCreate(name="Ann", access_notes="Step-free access\nA quiet room").access_notes == (
        "Step-free access\nA quiet room"
    )
    with pytest.raises(ValidationError, match="one line"):
        RegistrationCreate(name="Ann\nLee")
