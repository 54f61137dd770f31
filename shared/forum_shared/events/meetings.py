"""Events owned by the meetings service (stream `MEETINGS`)."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar

from pydantic import Field

from forum_shared.events.event import Code, Event, Id


class MeetingsEvent(Event):
    owner: ClassVar[str] = "meetings"


class MeetingScheduled(MeetingsEvent):
    """A forum meeting was scheduled."""

    free_text: ClassVar[Mapping[str, str]] = {
        "title": "the public title of an open meeting",
    }

    meeting_id: Id = Field(description="Id of the meeting.")
    title: str = Field(description="The meeting's title.")
    starts_at: datetime = Field(description="Start, with its UTC offset.")
    ends_at: datetime = Field(description="End, with its UTC offset.")
    area: Code | None = Field(default=None, description="Area of the county it is held in, if in person.")
    public: bool = Field(description="Whether the meeting is open to the public.")


class MeetingRescheduled(MeetingsEvent):
    """A forum meeting moved to another time or place."""

    meeting_id: Id = Field(description="Id of the meeting.")
    starts_at: datetime = Field(description="New start, with its UTC offset.")
    ends_at: datetime = Field(description="New end, with its UTC offset.")
    area: Code | None = Field(default=None, description="New area, if in person.")


class MeetingCancelled(MeetingsEvent):
    """A forum meeting was cancelled."""

    meeting_id: Id = Field(description="Id of the cancelled meeting.")


class MeetingHeld(MeetingsEvent):
    """A forum meeting took place; carries attendance so involvement can be recorded."""

    consumed_by: ClassVar[tuple[str, ...]] = ("membership",)

    meeting_id: Id = Field(description="Id of the meeting.")
    held_on: date = Field(description="The day it was held.")
    hours: float = Field(description="Length of the meeting in hours, for involvement records.")
    attendee_member_ids: list[Id] = Field(
        default_factory=list, description="Ids of members who attended."
    )
    public_attendees: int = Field(default=0, description="How many members of the public attended.")


class PopUpForumHeld(MeetingsEvent):
    """Two involvement-role holders held a pop-up forum with a community group."""

    consumed_by: ClassVar[tuple[str, ...]] = ("feedback", "membership", "signposting")

    pop_up_id: Id = Field(description="Id of the pop-up forum.")
    community_group_id: Id = Field(description="Id of the hosting community group (signposting).")
    held_on: date = Field(description="The day it was held.")
    hours: float = Field(description="Length in hours, for the facilitators' involvement records.")
    facilitator_member_ids: list[Id] = Field(description="Ids of the two facilitating members.")
    participants: int = Field(default=0, description="How many people took part.")
    area: Code | None = Field(default=None, description="Area of the county it was held in.")


class ActionAgreed(MeetingsEvent):
    """A meeting agreed an action with an owner and a due date."""

    free_text: ClassVar[Mapping[str, str]] = {
        "description": "what the open meeting agreed, as its public minutes say",
        "owner_name": "the role or organisation that owns the action (the form asks for one, never a person's "
        "name), as in the public minutes",
    }

    action_id: Id = Field(description="Id of the action.")
    meeting_id: Id = Field(description="Id of the meeting that agreed it.")
    description: str = Field(description="What was agreed.")
    owner_name: str = Field(description="Who owns the action (a role or organisation name).")
    due_on: date | None = Field(default=None, description="When it is due.")


class ActionCompleted(MeetingsEvent):
    """An action agreed at a meeting was completed."""

    action_id: Id = Field(description="Id of the action.")
    completed_on: date = Field(description="When it was completed.")


class WaitingListPlaceOffered(MeetingsEvent):
    """Someone on a meeting's waiting list got a place (a place was given up, or more were added):
    whatever notifies people may tell them. Ids only: their contact details stay in meetings."""

    meeting_id: Id = Field(description="Id of the meeting.")
    registration_id: Id = Field(description="Id of the registration that now has a place.")
    member_id: Id | None = Field(
        default=None, description="Id of the member, if a member registered; none for a member of the public."
    )
    starts_at: datetime = Field(description="When the meeting starts, with its UTC offset.")


class MeetingReminderDue(MeetingsEvent):
    """A meeting starts within a day: whatever notifies people may remind them."""

    meeting_id: Id = Field(description="Id of the meeting.")
    starts_at: datetime = Field(description="Start, with its UTC offset.")
