"""What the JSON API accepts and returns for forum meetings, their registrations and agenda."""

from datetime import date, datetime
from typing import Annotated

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    EmailStr,
    Field,
    HttpUrl,
    UrlConstraints,
    field_validator,
    model_validator,
)

from meetings.domain import AccessService

TIME_HELP = (
    "UK time, e.g. 2026-12-03T14:00 (read as London time), or with its UTC offset "
    "(2026-12-03T14:00:00+00:00)."
)


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# An id from the membership service.
MemberId = Annotated[str, Field(max_length=64)]

# Optional words: an empty or blank answer means "not given".
Text = Annotated[str | None, BeforeValidator(_blank_is_none)]
Link = Annotated[Annotated[HttpUrl, UrlConstraints(max_length=500)] | None, BeforeValidator(_blank_is_none)]
Email = Annotated[EmailStr | None, BeforeValidator(_blank_is_none)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class MeetingCreate(Request):
    title: str = Field(default="Partnership Forum", min_length=1, max_length=200)
    starts_at: datetime = Field(description=f"Start: {TIME_HELP}")
    ends_at: datetime = Field(description=f"End: {TIME_HELP}")
    venue: Text = Field(default=None, max_length=300, description="Venue name.")
    address: Text = Field(default=None, max_length=500, description="Venue address.")
    area: Text = Field(default=None, max_length=100, description="Area of the county (see /areas).")
    online_url: Link = Field(default=None, description="Link to join online.")
    public: bool = Field(default=True, description="Open to the public (and shown in the calendar feed).")
    capacity: int | None = Field(default=None, ge=1, le=10000, description="Places; none means no limit.")
    access_services: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: Text = Field(default=None, max_length=2000, description="Other access support.")


class MeetingReschedule(Request):
    """Only the fields given change; give `online_url: null` to drop the online link."""

    starts_at: datetime | None = Field(default=None, description=f"New start: {TIME_HELP}")
    ends_at: datetime | None = Field(default=None, description=f"New end: {TIME_HELP}")
    venue: Text = Field(default=None, max_length=300)
    address: Text = Field(default=None, max_length=500)
    area: Text = Field(default=None, max_length=100)
    online_url: Link = None

    @model_validator(mode="after")
    def _something_changes(self) -> "MeetingReschedule":
        if not self.model_fields_set:
            raise ValueError("Give the new time or place.")
        moved = {"starts_at", "ends_at"} & self.model_fields_set
        if moved and (self.starts_at is None or self.ends_at is None):
            raise ValueError("Give both the new start and the new end.")
        return self


class MeetingUpdate(Request):
    title: Text = Field(default=None, min_length=1, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=10000, description="Places; null means no limit.")
    access_services: list[AccessService] | None = Field(default=None, max_length=20)
    access_notes: Text = Field(default=None, max_length=2000)

    @model_validator(mode="after")
    def _keeps_required(self) -> "MeetingUpdate":
        if not self.model_fields_set:
            raise ValueError("Give at least one thing to change.")
        if "title" in self.model_fields_set and self.title is None:
            raise ValueError("A meeting needs a title.")
        if "access_services" in self.model_fields_set and self.access_services is None:
            raise ValueError("Give access services as a list; an empty list means none.")
        return self


class CancellationCreate(Request):
    reason: Text = Field(default=None, max_length=1000, description="Why, in plain words.")


class AgendaItemCreate(Request):
    title: str = Field(min_length=1, max_length=300)
    presenter: Text = Field(default=None, max_length=200)
    duration_minutes: int | None = Field(default=None, ge=1, le=480)


class AgendaItemUpdate(Request):
    title: Text = Field(default=None, min_length=1, max_length=300)
    presenter: Text = Field(default=None, max_length=200)
    duration_minutes: int | None = Field(default=None, ge=1, le=480)
    position: int | None = Field(default=None, ge=0, description="Place on the agenda, 0 first.")


class AgendaItemPublic(BaseModel):
    id: str
    title: str
    kind: str = Field(
        description="item; escalation (an issue escalated to governors); overdue_escalation; "
        "or carried_action (an action from an earlier meeting, overdue)."
    )
    escalation_id: str | None
    action_id: str | None = None
    respond_by: date | None = Field(default=None, description="For escalations: response due by.")
    overdue: bool = False
    presenter: str | None
    duration_minutes: int | None


class ActionCreate(Request):
    description: str = Field(min_length=3, max_length=2000)
    owner_name: str = Field(min_length=1, max_length=200, description="A role or organisation name.")
    due_on: date | None = None


class ActionCompletion(Request):
    completed_on: date | None = Field(default=None, description="Defaults to today.")


class ActionPublic(BaseModel):
    id: str
    meeting_id: str
    description: str
    owner_name: str
    due_on: date | None
    status: str = Field(description="open or completed.")
    completed_on: date | None


class MeetingHeldCreate(Request):
    attendee_member_ids: list[MemberId] = Field(default_factory=list, max_length=2000)
    public_attendees: int = Field(default=0, ge=0, le=100000, description="Members of the public who came.")
    hours: float | None = Field(default=None, gt=0, le=12, description="Defaults to the scheduled length.")
    minutes: Text = Field(default=None, max_length=100000)
    actions: list[ActionCreate] = Field(default_factory=list, max_length=200)

    @field_validator("attendee_member_ids")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))


class MinutesUpdate(Request):
    minutes: str = Field(min_length=1, max_length=100000)


class MeetingPublic(BaseModel):
    id: str
    title: str
    starts_at: datetime = Field(description="Start in UK time, with its offset.")
    ends_at: datetime
    timezone: str = "Europe/London"
    venue: str | None
    address: str | None = None
    area: str | None
    online_url: str | None
    attendance_mode: str = Field(default="in_person", description="in_person, online or hybrid.")
    public: bool
    capacity: int | None = None
    registered: int = 0
    waiting: int = 0
    places_left: int | None = None
    access_services: list[str] = []
    access_notes: str | None = None
    status: str
    cancel_reason: str | None = None
    held_on: date | None = None
    hours: float | None = None
    public_attendees: int | None = None
    attendee_member_ids: list[str] = []
    minutes: str | None = None
    agenda: list[AgendaItemPublic] = []
    actions: list[ActionPublic] = []
    warnings: list[str] = Field(default=[], description="Things to check, e.g. the same area twice running.")
    suggested_area: str | None = Field(default=None, description="The area that has waited longest.")


class RegistrationCreate(Request):
    """A member registers with their member id; a member of the public with a name and, if they
    wish, a way to contact them. Nothing else is asked."""

    member_id: Text = Field(default=None, max_length=64)
    name: Text = Field(default=None, max_length=200, description="For members of the public.")
    contact_email: Email = None
    contact_phone: Text = Field(default=None, max_length=50)
    access_needs: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: Text = Field(default=None, max_length=2000, description="Anything else that would help.")

    @model_validator(mode="after")
    def _member_or_named(self) -> "RegistrationCreate":
        if self.member_id and (self.name or self.contact_email or self.contact_phone):
            raise ValueError("Members register with their member id only; their details stay in membership.")
        if not self.member_id and not self.name:
            raise ValueError("Give a member id, or a name for a member of the public.")
        return self


class RegistrationPublic(BaseModel):
    id: str
    meeting_id: str
    status: str = Field(description="registered, waiting or cancelled.")
    waiting_position: int | None = Field(description="1 = next to get a place; only while waiting.")
    member_id: str | None
    name: str | None
    contact_email: str | None
    contact_phone: str | None
    access_needs: list[str]
    access_notes: str | None
    registered_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None


class RegistrationsPublic(BaseModel):
    meeting_id: str
    capacity: int | None
    registered: int
    waiting: int
    places_left: int | None
    access_needs: dict[str, int] = Field(description="How many registered people asked for each.")
    registrations: list[RegistrationPublic]


class AreaVisitPublic(BaseModel):
    area: str
    meetings: int = Field(default=0, description="Meetings held or planned there in the period.")
    last_meeting_on: date | None


class AreaSuggestionPublic(BaseModel):
    suggested_area: str | None = Field(description="The area that has waited longest for a meeting.")
    areas: list[AreaVisitPublic]


class AreaReportPublic(BaseModel):
    from_date: date
    to_date: date
    areas: list[AreaVisitPublic]
    online_only: int = Field(description="Meetings held only online in the period.")
