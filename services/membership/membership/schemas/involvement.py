"""What the JSON API accepts and returns about the time members give."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from forum_shared.dates import Day, Moment
from forum_shared.text import Line, Text
from membership import domain
from membership.domain import EntryKind, EntrySource
from membership.schemas.base import Public, clean_text


class EntryCreate(BaseModel):
    """Time recorded by staff by hand; attendance and facilitation are recorded automatically."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["preparation", "travel", "other"] = Field(description="What the time was spent on.")
    worked_on: Day = Field(description="The day the time was given.")
    hours: Decimal = Field(gt=0, le=24, decimal_places=2, description="How long, in hours (e.g. 1.5).")
    note: Text | None = Field(default=None, max_length=500, description="A few words, e.g. 'reading papers'.")
    assignment_id: Line | None = Field(
        default=None,
        max_length=64,
        description="The role holding it counts under; chosen for you if left out.",
    )

    @field_validator("worked_on")
    @classmethod
    def _not_future(cls, value: Day) -> date:
        if value > domain.today():
            raise ValueError("Time can be recorded once it has been given, not for a future day.")
        return value

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return clean_text(value)


class EntryPublic(Public):
    id: str
    member_id: str
    kind: EntryKind
    worked_on: Day
    hours: Decimal
    role_title: str | None = Field(description="The role the time counts under, if any.")
    paid: bool
    hourly_rate: Decimal | None
    amount: Decimal = Field(description="Pay for this entry in pounds (0.00 if voluntary).")
    source: EntrySource = Field(description="meeting, pop_up (recorded from events) or staff (by hand).")
    source_id: str | None = Field(description="The meeting or pop-up forum, if any.")
    note: str | None
    recorded_at: Moment


class RoleTotalPublic(Public):
    role_title: str | None
    paid: bool
    hourly_rate: Decimal | None
    hours: Decimal
    amount: Decimal


class StatementPublic(Public):
    """A member's time given in one month, for recognition and payment."""

    member_id: str
    display_name: str
    month: str
    entries: list[EntryPublic]
    total_hours: Decimal
    paid_hours: Decimal
    voluntary_hours: Decimal
    amount_due: Decimal
    by_role: list[RoleTotalPublic]
