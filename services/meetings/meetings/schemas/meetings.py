"""Forum meetings: scheduling, moving, changing, cancelling and recording them as held."""

from typing import Annotated

from pydantic import Field, field_validator, model_validator

from forum_shared.dates import Day, Moment
from forum_shared.text import Line, Text
from meetings.domain import AccessService, MeetingStatus
from meetings.records import Meeting, MeetingPlanned
from meetings.schemas.actions import ActionCreate, ActionPublic
from meetings.schemas.agenda import AgendaItemPublic
from meetings.schemas.common import TIME_HELP, Link, MemberId, OptionalLine, OptionalText, Public, Request


class MeetingCreate(Request):
    title: Annotated[Line, Field(min_length=1, max_length=200)] = "Partnership Forum"
    starts_at: Moment = Field(description=f"Start: {TIME_HELP}")
    ends_at: Moment = Field(description=f"End: {TIME_HELP}")
    venue: OptionalLine = Field(default=None, max_length=300, description="Venue name.")
    address: OptionalText = Field(default=None, max_length=500, description="Venue address.")
    area: OptionalLine = Field(default=None, max_length=100, description="Area of the county (see /areas).")
    online_url: Link = Field(default=None, description="Link to join online.")
    public: bool = Field(default=True, description="Open to the public (and shown in the calendar feed).")
    capacity: int | None = Field(default=None, ge=1, le=10000, description="Places; none means no limit.")
    access_services: list[AccessService] = Field(default_factory=list, max_length=20)
    access_notes: OptionalText = Field(default=None, max_length=2000, description="Other access support.")


class MeetingReschedule(Request):
    """Only the fields given change; give `online_url: null` to drop the online link."""

    starts_at: Moment | None = Field(default=None, description=f"New start: {TIME_HELP}")
    ends_at: Moment | None = Field(default=None, description=f"New end: {TIME_HELP}")
    venue: OptionalLine = Field(default=None, max_length=300)
    address: OptionalText = Field(default=None, max_length=500)
    area: OptionalLine = Field(default=None, max_length=100)
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
    title: OptionalLine = Field(default=None, min_length=1, max_length=200)
    capacity: int | None = Field(default=None, ge=1, le=10000, description="Places; null means no limit.")
    access_services: list[AccessService] | None = Field(default=None, max_length=20)
    access_notes: OptionalText = Field(default=None, max_length=2000)

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
    """Why, kept by meetings for its own pages and calendar: it is never sent to other services
    (people type it, and may type a name)."""

    reason: OptionalText = Field(
        default=None, max_length=1000, description="Why, in plain words; shown to the public, never on the event bus."
    )


class MeetingHeldCreate(Request):
    attendee_member_ids: list[MemberId] = Field(default_factory=list, max_length=2000)
    public_attendees: int = Field(default=0, ge=0, le=100000, description="Members of the public who came.")
    hours: float | None = Field(default=None, gt=0, le=12, description="Defaults to the scheduled length.")
    minutes: OptionalText = Field(default=None, max_length=100000)
    actions: list[ActionCreate] = Field(default_factory=list, max_length=200)

    @field_validator("attendee_member_ids")
    @classmethod
    def _distinct(cls, value: list[str]) -> list[str]:
        return list(dict.fromkeys(v.strip() for v in value if v.strip()))


class MinutesUpdate(Request):
    minutes: Annotated[Text, Field(min_length=1, max_length=100000)]


class MeetingPublic(Public):
    id: str
    title: str
    starts_at: Moment = Field(description="Start in UK time, with its offset.")
    ends_at: Moment
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
    status: MeetingStatus
    cancel_reason: str | None = None
    held_on: Day | None = None
    hours: float | None = None
    public_attendees: int | None = None
    attendee_member_ids: list[str] = []
    minutes: str | None = None
    agenda: list[AgendaItemPublic] = []
    actions: list[ActionPublic] = []
    warnings: list[str] = Field(default=[], description="Things to check, e.g. the same area twice running.")
    suggested_area: str | None = Field(default=None, description="The area that has waited longest.")

    @classmethod
    def of(cls, meeting: Meeting | MeetingPlanned) -> "MeetingPublic":
        if isinstance(meeting, Meeting):
            return cls.model_validate(meeting)
        shown = cls.model_validate(meeting.meeting)
        return shown.model_copy(update={"warnings": list(meeting.warnings), "suggested_area": meeting.suggested_area})
