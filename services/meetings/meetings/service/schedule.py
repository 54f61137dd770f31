"""Forum meetings: schedule, reschedule, change details, cancel."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from forum_shared.db import Database
from forum_shared.errors import Conflict
from forum_shared.events.meetings import MeetingCancelled, MeetingRescheduled, MeetingScheduled
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from meetings import domain
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.records import Meeting, MeetingPlanned
from meetings.schemas.meetings import CancellationCreate, MeetingCreate, MeetingReschedule, MeetingUpdate
from meetings.service import emails, escalations, registration, rotation
from meetings.service.meetings import meeting_in_full
from meetings.store import meeting as stored
from meetings.store import registration as stored_registrations

PAST_WARNING = (
    "This meeting starts in the past: it is recorded, but it will not send a reminder or take "
    "escalated issues onto its agenda."
)


async def schedule_meeting(
    db: Database, actor: Principal | str, data: MeetingCreate, areas: list[str], now: datetime | None = None
) -> MeetingPlanned:
    """Schedule a forum meeting; escalations waiting for a meeting join its agenda if it is the
    next forum meeting."""
    now = now or datetime.now(UTC)
    starts_at, ends_at = domain.london_times(data.starts_at, data.ends_at)
    online_url = str(data.online_url) if data.online_url else None
    area = domain.match_area(data.area, areas)
    domain.check_place(data.venue, area, online_url)
    meeting_id = str(uuid.uuid4())
    async with unit_of_work(db, actor, "meeting.scheduled", f"meeting:{meeting_id}") as work:
        advice = await rotation.advice(work.session, areas, area, starts_at)
        await stored.add_meeting(
            work.session,
            **{
                **data.model_dump(),
                "id": meeting_id,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "area": area,
                "online_url": online_url,
                "status": MeetingStatus.scheduled,
                "sequence": 0,
                "created_at": now,
                "updated_at": now,
            },
        )
        if await stored.next_forum_meeting_id(work.session, now) == meeting_id:
            await escalations.attach_waiting_items(work.session, meeting_id)
        await work.publish(
            MeetingScheduled(
                meeting_id=meeting_id, title=data.title, starts_at=starts_at, ends_at=ends_at, area=area,
                public=data.public,
            )
        )
        return MeetingPlanned(
            await meeting_in_full(work.session, meeting_id, now),
            (*advice.warnings, *([PAST_WARNING] if starts_at <= now else [])),
            advice.suggestion,
        )


async def reschedule_meeting(
    db: Database,
    actor: Principal | str,
    meeting_id: str,
    data: MeetingReschedule,
    areas: list[str],
    now: datetime | None = None,
    *,
    organizer: str | None = None,
) -> MeetingPlanned:
    """Move a meeting to another time or place; people's calendars pick up the change (the feed's,
    and the updated event emailed to everyone registered or waiting)."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "meeting.rescheduled", f"meeting:{meeting_id}") as work:
        meeting = await stored.get_meeting(work.session, meeting_id, lock=True)
        _must_be_scheduled(meeting, "rescheduled")
        changes = data.model_dump(exclude_unset=True)
        if "online_url" in changes:
            changes["online_url"] = str(data.online_url) if data.online_url else None
        if "venue" in changes and not changes["venue"]:
            # Now online only: the old address and area no longer apply unless given again.
            changes.setdefault("address", None)
            changes.setdefault("area", None)
        place = {"venue": meeting.venue, "area": meeting.area, "online_url": meeting.online_url, **changes}
        starts_at, ends_at = domain.london_times(
            changes.get("starts_at") or meeting.starts_at, changes.get("ends_at") or meeting.ends_at
        )
        area = domain.match_area(place["area"], areas)
        domain.check_place(place["venue"], area, place["online_url"])
        values = {**changes, "starts_at": starts_at, "ends_at": ends_at, "area": area}
        if starts_at != meeting.starts_at:
            values["reminder_sent_at"] = None  # the reminder people had was for the old time
        await stored.change_meeting(work.session, meeting_id, **values, sequence=meeting.sequence + 1, updated_at=now)
        await work.publish(MeetingRescheduled(meeting_id=meeting_id, starts_at=starts_at, ends_at=ends_at, area=area))
        advice = await rotation.advice(work.session, areas, area, starts_at, exclude=meeting_id)
        moved = await meeting_in_full(work.session, meeting_id, now)
        registered = await stored_registrations.registrations_of(work.session, meeting_id)
        await emails.tell_everyone_registered(work, moved, registered, "moved", organizer)
        return MeetingPlanned(
            moved,
            (*advice.warnings, *([PAST_WARNING] if starts_at <= now else [])),
            advice.suggestion,
        )


async def update_meeting(
    db: Database,
    actor: Principal | str,
    meeting_id: str,
    data: MeetingUpdate,
    now: datetime | None = None,
    *,
    organizer: str | None = None,
) -> Meeting:
    """Change a meeting's title, places or access support; more places go to the waiting list."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "meeting.updated", f"meeting:{meeting_id}") as work:
        meeting = await stored.get_meeting(work.session, meeting_id, lock=True)
        _must_be_scheduled(meeting, "changed")
        changes = data.model_dump(exclude_unset=True)
        if changes.get("capacity") is not None:
            taken = await stored_registrations.count(work.session, meeting_id, RegistrationStatus.registered)
            if changes["capacity"] < taken:
                raise Conflict(
                    f"{taken} people already have a place, so there must be at least {taken} places. "
                    "Cancel registrations first if the venue has become smaller."
                )
        await stored.change_meeting(work.session, meeting_id, **changes, sequence=meeting.sequence + 1, updated_at=now)
        await registration.offer_free_places(work, meeting_id, now, organizer=organizer)
        return await meeting_in_full(work.session, meeting_id, now)


async def cancel_meeting(
    db: Database,
    actor: Principal | str,
    meeting_id: str,
    data: CancellationCreate,
    now: datetime | None = None,
    *,
    organizer: str | None = None,
) -> Meeting:
    """Cancel a meeting; escalated issues on its agenda move to the next forum meeting, and everyone
    registered or waiting is told by email. The reason stays here, for this service's pages,
    calendar and emails: other services are told only which meeting."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "meeting.cancelled", f"meeting:{meeting_id}") as work:
        meeting = await stored.get_meeting(work.session, meeting_id, lock=True)
        _must_be_scheduled(meeting, "cancelled")
        await stored.change_meeting(
            work.session,
            meeting_id,
            status=MeetingStatus.cancelled,
            cancel_reason=data.reason,
            sequence=meeting.sequence + 1,
            updated_at=now,
        )
        await escalations.move_automatic_items(work.session, meeting_id, now)
        # The reason is free text someone typed, and may hold a name: it never leaves this service.
        await work.publish(MeetingCancelled(meeting_id=meeting_id))
        cancelled = await meeting_in_full(work.session, meeting_id, now)
        registered = await stored_registrations.registrations_of(work.session, meeting_id)
        await emails.tell_everyone_registered(work, cancelled, registered, "cancelled", organizer)
        return cancelled


def _must_be_scheduled(meeting: Meeting, what: str) -> None:
    if meeting.status == MeetingStatus.cancelled:
        raise Conflict("This meeting has been cancelled; schedule a new one instead.")
    if meeting.status == MeetingStatus.held:
        raise Conflict(f"This meeting has already been held, so it cannot be {what}.")
