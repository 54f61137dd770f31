"""Actions agreed at meetings and followed up."""

from typing import Annotated

from pydantic import Field

from forum_shared.dates import Day
from forum_shared.text import Line, Text
from meetings.domain import ActionStatus
from meetings.schemas.common import Public, Request

OWNER_HELP = (
    "The role or organisation that will do it, for example Trust involvement lead or SUN Network. "
    "It is published in the public minutes (and to other services), so it must never be a person's name."
)


class ActionCreate(Request):
    description: Annotated[Text, Field(min_length=3, max_length=2000)]
    owner_name: Annotated[Line, Field(min_length=1, max_length=200)] = Field(description=OWNER_HELP)
    due_on: Day | None = None


class ActionCompletion(Request):
    completed_on: Day | None = Field(default=None, description="Defaults to today.")


class ActionPublic(Public):
    id: str
    meeting_id: str
    description: str
    owner_name: str
    due_on: Day | None
    status: ActionStatus = Field(description="open or completed.")
    completed_on: Day | None
