"""The typed records the store returns and the use cases hand to the JSON API and the pages: one
per thing the service keeps (a meeting, its agenda items, actions and registrations, a pop-up
forum) and per read model kept from other services' events. Times are in London time, as people
see them; records never change once made."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import ClassVar

from meetings import domain
from meetings.domain import ActionStatus, AgendaKind, MeetingStatus, PopUpStatus, RegistrationStatus


@dataclass(frozen=True)
class AgendaItem:
    """An item on a meeting's agenda, or waiting for the next forum meeting (`meeting_id` None).
    A carried-forward action not yet written down with a held meeting has `stored` False."""

    id: str
    meeting_id: str | None
    title: str
    kind: AgendaKind
    escalation_id: str | None = None
    action_id: str | None = None
    respond_by: date | None = None
    overdue: bool = False
    presenter: str | None = None
    duration_minutes: int | None = None
    stored: bool = True


@dataclass(frozen=True)
class Action:
    """An action a held meeting agreed, with its owner and due date."""

    id: str
    meeting_id: str
    description: str
    owner_name: str
    due_on: date | None
    status: ActionStatus
    agreed_at: datetime
    completed_on: date | None = None

    def overdue_on(self, today: date) -> bool:
        return self.status == ActionStatus.open and domain.overdue_at(self.due_on, today)


@dataclass(frozen=True)
class Meeting:
    """A forum meeting with how many have a place; `agenda`, `attendee_member_ids` and `actions`
    are filled only when one meeting is read in full."""

    kind: ClassVar[str] = "meeting"

    id: str
    title: str
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    address: str | None
    area: str | None
    online_url: str | None
    public: bool
    capacity: int | None
    access_services: tuple[str, ...]
    access_notes: str | None
    status: MeetingStatus
    cancel_reason: str | None
    sequence: int
    created_at: datetime
    updated_at: datetime
    held_on: date | None = None
    hours: float | None = None
    public_attendees: int | None = None
    minutes: str | None = None
    registered: int = 0
    waiting: int = 0
    agenda: tuple[AgendaItem, ...] = ()
    attendee_member_ids: tuple[str, ...] = ()
    actions: tuple[Action, ...] = ()

    @property
    def attendance_mode(self) -> str:
        return domain.attendance_mode(self.venue, self.online_url)

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)

    def open_for_registration(self, now: datetime) -> bool:
        return self.status == MeetingStatus.scheduled and self.starts_at > now


@dataclass(frozen=True)
class MeetingPlanned:
    """A meeting just scheduled or moved, with what staff should check about where it is."""

    meeting: Meeting
    warnings: tuple[str, ...] = ()
    suggested_area: str | None = None


@dataclass(frozen=True)
class Registration:
    """Someone's place at a meeting, or on its waiting list (`waiting_position` 1 is next)."""

    id: str
    meeting_id: str
    queue_number: int
    member_id: str | None
    name: str | None
    contact_email: str | None
    contact_phone: str | None
    access_needs: tuple[str, ...]
    access_notes: str | None
    status: RegistrationStatus
    registered_at: datetime
    promoted_at: datetime | None
    cancelled_at: datetime | None
    waiting_position: int | None = None


@dataclass(frozen=True)
class Registrations:
    """Everyone who registered for one meeting, places first, then the waiting list in order."""

    meeting_id: str
    capacity: int | None
    registrations: tuple[Registration, ...]

    @property
    def registered(self) -> int:
        return sum(r.status == RegistrationStatus.registered for r in self.registrations)

    @property
    def waiting(self) -> int:
        return sum(r.status == RegistrationStatus.waiting for r in self.registrations)

    @property
    def places_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.registered, 0)

    @property
    def access_needs(self) -> dict[str, int]:
        """How many of the people with a place asked for each kind of access support."""
        needs: dict[str, int] = {}
        for registration in self.registrations:
            if registration.status == RegistrationStatus.registered:
                for need in registration.access_needs:
                    needs[need] = needs.get(need, 0) + 1
        return needs


@dataclass(frozen=True)
class PopUpForum:
    """A pop-up forum with the community group hosting it, as the directory last named it."""

    kind: ClassVar[str] = "pop_up"

    id: str
    community_group_id: str
    community_group_name: str | None
    community_group_areas: tuple[str, ...]
    facilitator_member_ids: tuple[str, ...]
    starts_at: datetime
    ends_at: datetime
    venue: str | None
    area: str | None
    topics: tuple[str, ...]
    status: PopUpStatus
    cancel_reason: str | None
    created_at: datetime
    held_on: date | None = None
    hours: float | None = None
    participants: int | None = None
    shared: str | None = None

    @property
    def title(self) -> str:
        return f"Pop-up forum at {self.community_group_name or 'a community group'}"

    @property
    def place(self) -> str:
        """Where it is held: its own venue, else where its group usually meets."""
        return self.venue or "Where the group usually meets"

    @property
    def area_shown(self) -> str | None:
        """Its own area, else the areas its community group covers."""
        return self.area or (", ".join(self.community_group_areas) or None)

    def in_area(self, area: str) -> bool:
        wanted = area.casefold()
        if self.area is not None:
            return self.area.casefold() == wanted
        return any(a.casefold() == wanted for a in self.community_group_areas)


@dataclass(frozen=True)
class CommunityGroup:
    """A community group known from the signposting directory's events."""

    id: str
    name: str | None
    areas: tuple[str, ...]
    can_host: bool


@dataclass(frozen=True)
class RoleAssignment:
    """One involvement role a member holds or held, known from membership's events."""

    assignment_id: str
    member_id: str
    role_id: str
    role_title: str | None
    starts_on: date | None
    ends_on: date | None


@dataclass(frozen=True)
class RoleHolder:
    """A member holding at least one involvement role on a given day: who can facilitate."""

    member_id: str
    roles: tuple[RoleAssignment, ...]


@dataclass(frozen=True)
class AreaVisits:
    area: str
    meetings: int = 0
    last_meeting_on: date | None = None


@dataclass(frozen=True)
class AreaSuggestion:
    """The area that has waited longest for a meeting, and when each last had one."""

    suggested_area: str | None
    areas: tuple[AreaVisits, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class AreaReport:
    """Meetings per area over a year, cancelled ones left out."""

    from_date: date
    to_date: date
    areas: tuple[AreaVisits, ...]
    online_only: int
