"""Agenda items: what staff add and change, and what everyone sees."""

from typing import Annotated

from pydantic import Field

from forum_shared.dates import Day
from forum_shared.text import Line
from meetings.domain import AgendaKind
from meetings.schemas.common import OptionalLine, Public, Request


class AgendaItemCreate(Request):
    title: Annotated[Line, Field(min_length=1, max_length=300)]
    presenter: OptionalLine = Field(default=None, max_length=200)
    duration_minutes: int | None = Field(default=None, ge=1, le=480)


class AgendaItemUpdate(Request):
    title: OptionalLine = Field(default=None, min_length=1, max_length=300)
    presenter: OptionalLine = Field(default=None, max_length=200)
    duration_minutes: int | None = Field(default=None, ge=1, le=480)
    position: int | None = Field(default=None, ge=0, description="Place on the agenda, 0 first.")


class AgendaItemPublic(Public):
    id: str
    title: str
    kind: AgendaKind = Field(
        description="item; escalation (an issue escalated to governors); overdue_escalation; "
        "or carried_action (an action from an earlier meeting, overdue)."
    )
    escalation_id: str | None
    action_id: str | None = None
    respond_by: Day | None = Field(default=None, description="For escalations: response due by.")
    overdue: bool = False
    presenter: str | None
    duration_minutes: int | None
