"""Forum meetings: schedule, reschedule, change details, cancel, and read them back."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import MeetingCancelled, MeetingRescheduled, MeetingScheduled
from meetings import domain
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.schemas import CancellationCreate, MeetingCreate, MeetingReschedule, MeetingUpdate
from meetings.service import agenda, escalations, registration, rotation
from meetings.service.common import london_times, now_or, rules
from meetings.store import actions, meeting_attendees, meetings, registrations

PAST_WARNING = (
    "This meeting starts in the past: it is recorded, but it will not send a reminder or take "
    "escalated issues onto its agenda."
)


async def schedule_meeting(
    session: AsyncSession, data: MeetingCreate, areas: list[str], now: datetime | None = None
) -> dict:
    """Schedule a forum meeting; escalations waiting for a meeting join its agenda."""
    now = now_or(now)
    starts_at, ends_at = london_times(data.starts_at, data.ends_at)
    online_url = str(data.online_url) if data.online_url else None
    with rules():
        area = domain.match_area(data.area, areas)
        domain.check_place(data.venue, area, online_url)
    advice = await rotation.advice(session, areas, area, starts_at)
    row = {
        **data.model_dump(),
        "id": str(uuid.uuid4()),
        "starts_at": starts_at,
        "ends_at": ends_at,
        "area": area,
        "online_url": online_url,
        "status": MeetingStatus.scheduled,
        "sequence": 0,
        "created_at": now,
        "updated_at": now,
    }
    await session.execute(meetings.insert().values(**row))
    if await escalations.next_forum_meeting_id(session, now) == row["id"]:
        await escalations.attach_waiting_items(session, row["id"])
    await outbox.record(
        session,
        MeetingScheduled(
            meeting_id=row["id"],
            title=row["title"],
            starts_at=starts_at,
            ends_at=ends_at,
            area=area,
            public=row["public"],
        ),
    )
    warnings = advice.warnings + ([PAST_WARNING] if starts_at <= now else [])
    return {**await get_meeting(session, row["id"]), "warnings": warnings, "suggested_area": advice.suggestion}


async def reschedule_meeting(
    session: AsyncSession, meeting_id: str, data: MeetingReschedule, areas: list[str], now: datetime | None = None
) -> dict:
    """Move a meeting to another time or place; people's calendars pick up the change."""
    now = now_or(now)
    meeting = await load_meeting(session, meeting_id, lock=True)
    _must_be_scheduled(meeting, "rescheduled")
    changes = data.model_dump(exclude_unset=True)
    if "online_url" in changes:
        changes["online_url"] = str(data.online_url) if data.online_url else None
    if "venue" in changes and not changes["venue"]:
        # Now online only: the old address and area no longer apply unless given again.
        changes.setdefault("address", None)
        changes.setdefault("area", None)
    merged = {**meeting._mapping, **changes}
    starts_at, ends_at = london_times(merged["starts_at"], merged["ends_at"])
    with rules():
        area = domain.match_area(merged["area"], areas)
        domain.check_place(merged["venue"], area, merged["online_url"])
    values = {**changes, "starts_at": starts_at, "ends_at": ends_at, "area": area}
    values.update(sequence=meeting.sequence + 1, updated_at=now)
    if starts_at != meeting.starts_at:
        values["reminder_sent_at"] = None  # the reminder people had was for the old time
    await session.execute(update(meetings).where(meetings.c.id == meeting_id).values(**values))
    await outbox.record(
        session, MeetingRescheduled(meeting_id=meeting_id, starts_at=starts_at, ends_at=ends_at, area=area)
    )
    advice = await rotation.advice(session, areas, area, starts_at, exclude=meeting_id)
    warnings = advice.warnings + ([PAST_WARNING] if starts_at <= now else [])
    return {**await get_meeting(session, meeting_id), "warnings": warnings, "suggested_area": advice.suggestion}


async def update_meeting(
    session: AsyncSession, meeting_id: str, data: MeetingUpdate, now: datetime | None = None
) -> dict:
    """Change a meeting's title, places or access support; more places go to the waiting list."""
    meeting = await load_meeting(session, meeting_id, lock=True)
    _must_be_scheduled(meeting, "changed")
    changes = data.model_dump(exclude_unset=True)
    if "capacity" in changes and changes["capacity"] is not None:
        taken = await registration.count(session, meeting_id, RegistrationStatus.registered)
        if changes["capacity"] < taken:
            raise Conflict(
                f"{taken} people already have a place, so there must be at least {taken} places. "
                "Cancel registrations first if the venue has become smaller."
            )
    if changes:
        await session.execute(
            update(meetings)
            .where(meetings.c.id == meeting_id)
            .values(**changes, sequence=meeting.sequence + 1, updated_at=now_or(now))
        )
        await registration.offer_free_places(session, meeting_id, now)
    return await get_meeting(session, meeting_id)


async def cancel_meeting(
    session: AsyncSession, meeting_id: str, data: CancellationCreate, now: datetime | None = None
) -> dict:
    """Cancel a meeting; escalated issues on its agenda move to the next forum meeting."""
    now = now_or(now)
    meeting = await load_meeting(session, meeting_id, lock=True)
    _must_be_scheduled(meeting, "cancelled")
    await session.execute(
        update(meetings)
        .where(meetings.c.id == meeting_id)
        .values(
            status=MeetingStatus.cancelled,
            cancel_reason=data.reason,
            sequence=meeting.sequence + 1,
            updated_at=now,
        )
    )
    await escalations.move_automatic_items(session, meeting_id, now)
    await outbox.record(session, MeetingCancelled(meeting_id=meeting_id, reason=data.reason))
    return await get_meeting(session, meeting_id)


def _must_be_scheduled(meeting, what: str) -> None:
    if meeting.status == MeetingStatus.cancelled:
        raise Conflict("This meeting has been cancelled; schedule a new one instead.")
    if meeting.status == MeetingStatus.held:
        raise Conflict(f"This meeting has already been held, so it cannot be {what}.")


async def load_meeting(session: AsyncSession, meeting_id: str, *, lock: bool = False):
    query = select(meetings).where(meetings.c.id == meeting_id)
    # On PostgreSQL the row lock queues concurrent changes to one meeting (places, waiting list);
    # SQLite has one writer at a time anyway and ignores it.
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    return row


async def get_meeting(session: AsyncSession, meeting_id: str) -> dict:
    """One meeting with its agenda, attendance and actions."""
    meeting = await load_meeting(session, meeting_id)
    view = (await _views(session, [meeting]))[0]
    view["agenda"] = await agenda.agenda_of(session, meeting)
    view["attendee_member_ids"] = list(
        (
            await session.scalars(
                select(meeting_attendees.c.member_id).where(meeting_attendees.c.meeting_id == meeting_id)
            )
        ).all()
    )
    view["actions"] = [
        dict(r._mapping)
        for r in (
            await session.execute(
                select(actions).where(actions.c.meeting_id == meeting_id).order_by(actions.c.agreed_at)
            )
        ).all()
    ]
    return view


async def list_meetings(session: AsyncSession, status: MeetingStatus | None = None) -> list[dict]:
    """Meetings in date order (without their agendas)."""
    query = select(meetings).order_by(meetings.c.starts_at)
    if status:
        query = query.where(meetings.c.status == status)
    return await _views(session, (await session.execute(query)).all())


async def _views(session: AsyncSession, rows) -> list[dict]:
    counts: dict[tuple[str, str], int] = {}
    if rows:
        counted = await session.execute(
            select(registrations.c.meeting_id, registrations.c.status, func.count())
            .where(registrations.c.meeting_id.in_([r.id for r in rows]))
            .group_by(registrations.c.meeting_id, registrations.c.status)
        )
        counts = {(m, s): n for m, s, n in counted.all()}
    views = []
    for row in rows:
        taken = counts.get((row.id, RegistrationStatus.registered), 0)
        views.append(
            {
                **row._mapping,
                "starts_at": domain.to_london(row.starts_at),
                "ends_at": domain.to_london(row.ends_at),
                "attendance_mode": domain.attendance_mode(row.venue, row.online_url),
                "registered": taken,
                "waiting": counts.get((row.id, RegistrationStatus.waiting), 0),
                "places_left": None if row.capacity is None else max(row.capacity - taken, 0),
            }
        )
    return views


async def calendar_meetings(session: AsyncSession, meeting_id: str | None = None) -> list[dict]:
    """Public meetings for the calendar feed (cancelled ones too, shown as cancelled)."""
    if meeting_id:
        return [dict((await load_meeting(session, meeting_id))._mapping)]
    rows = await session.execute(select(meetings).where(meetings.c.public.is_(True)).order_by(meetings.c.starts_at))
    return [dict(r._mapping) for r in rows.all()]
