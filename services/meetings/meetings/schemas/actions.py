"""Actions agreed at meetings and followed up."""

from datetime import date

from pydantic import Field

from meetings.domain import ActionStatus
from meetings.schemas.common import Public, Request


class ActionCreate(Request):
    description: str = Field(min_length=3, max_length=2000)
    owner_name: str = Field(min_length=1, max_length=200, description="A role or organisation name.")
    due_on: date | None = None


class ActionCompletion(Request):
    completed_on: date | None = Field(default=None, description="Defaults to today.")


class ActionPublic(Public):
    id: str
    meeting_id: str
    description: str
    owner_name: str
    due_on: date | None
    status: ActionStatus = Field(description="open or completed.")
    completed_on: date | None
