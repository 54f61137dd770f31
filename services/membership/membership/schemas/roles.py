"""What the JSON API accepts and returns about involvement roles, interest in them, and who holds
them."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from forum_shared.dates import Day, Moment
from forum_shared.text import FilledLine, FilledText, Line, Text
from membership import domain
from membership.domain import InterestStatus
from membership.schemas.base import Public, clean_text


class RoleCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: FilledLine = Field(max_length=200, description="The role's title, e.g. 'Pop-up forum facilitator'.")
    description: FilledText = Field(max_length=5000, description="What the role involves, in plain words.")
    hours_per_month: Decimal = Field(
        gt=0, le=744, decimal_places=2, description="About how many hours a month the role takes."
    )
    paid: bool = Field(description="Whether time in this role is paid.")
    hourly_rate: Decimal | None = Field(
        default=None, ge=0, max_digits=7, decimal_places=2, description="Pay per hour in pounds, if paid."
    )
    vacancies: int = Field(default=1, ge=1, le=100, description="How many people the role is for.")
    closing_date: Day | None = Field(default=None, description="Last day to express interest, if any.")

    @field_validator("title", "description")
    @classmethod
    def _required(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("This cannot be empty.")
        return value

    @field_validator("closing_date")
    @classmethod
    def _not_past(cls, value: Day | None) -> date | None:
        if value is not None and value < domain.today():
            raise ValueError("The closing date has already passed: please choose today or a later day.")
        return value

    @model_validator(mode="after")
    def _rate_fits(self) -> RoleCreate:
        if self.paid and not self.hourly_rate:
            raise ValueError("A paid role needs an hourly rate above £0.00.")
        if not self.paid and self.hourly_rate:
            raise ValueError("A voluntary role has no hourly rate: leave it out, or mark the role as paid.")
        return self


class RolePublic(Public):
    id: str
    title: str
    description: str
    hours_per_month: Decimal
    paid: bool
    hourly_rate: Decimal | None
    vacancies: int
    vacancies_left: int = Field(description="Vacancies not filled today.")
    closing_date: Day | None
    open: bool = Field(description="Whether members can still express interest.")
    advertised_at: Moment


# How much a member may say about why a role interests them.
NOTE_LIMIT = 500


class InterestCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: Line = Field(max_length=64, description="The member who is interested.")
    note: Text = Field(
        default="", max_length=NOTE_LIMIT, description="A few words on why, if you like. No interview is needed."
    )
    would_like_a_chat: bool = Field(
        default=False, description="Whether you would like an informal chat first."
    )


class InterestFromMember(BaseModel):
    """A signed-in member says a role interests them (the "Roles that interest you" page)."""

    model_config = ConfigDict(extra="forbid")

    role_id: Line = Field(title="a role", max_length=64, description="The id of an open role.")
    note: Text = Field(default="", max_length=NOTE_LIMIT, description="Why, in their words, if they like.")


class InterestOnJoining(BaseModel):
    """The "Getting involved" part of the join page: the roles ticked, and why, in the person's words."""

    model_config = ConfigDict(extra="forbid")

    roles: list[Line] = Field(default_factory=list, max_length=50, description="Ids of open roles.")
    role_note: Text = Field(default="", max_length=NOTE_LIMIT, description="Why, if they like.")


class ChatArrange(BaseModel):
    model_config = ConfigDict(extra="forbid")

    chat_on: Day | None = Field(default=None, description="When the informal chat is, if set.")
    note: Text | None = Field(default=None, max_length=500, description="Where, or how to join.")

    @field_validator("note")
    @classmethod
    def _note(cls, value: str | None) -> str | None:
        return clean_text(value)


class InterestPublic(Public):
    id: str
    role_id: str
    member_id: str
    display_name: str
    note: str
    would_like_a_chat: bool
    status: InterestStatus = Field(description="interested, chat_arranged or assigned.")
    chat_on: Day | None
    chat_note: str | None
    expressed_at: Moment


class AssignmentCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: Line = Field(max_length=64, description="The member who takes the role.")
    starts_on: Day = Field(description="First day they hold the role.")


class AssignmentEnd(BaseModel):
    model_config = ConfigDict(extra="forbid")

    ends_on: Day = Field(description="Last day they hold the role.")


class AssignmentPublic(Public):
    id: str
    role_id: str
    role_title: str
    member_id: str
    display_name: str
    starts_on: Day
    ends_on: Day | None
    current: bool = Field(description="Whether they hold the role today.")
    assigned_at: Moment
    ended_at: Moment | None
