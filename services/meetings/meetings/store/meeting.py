"""Forum meetings: adding and changing them, reading them back with how many have a place, where
earlier meetings were held, and which is the next forum meeting."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import CursorResult, Row, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import NotFound
from meetings import domain
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.records import Meeting
from meetings.store.tables import meeting_attendees, meetings, registrations


async def add_meeting(session: AsyncSession, **values: Any) -> None:
    await session.execute(meetings.insert().values(**values))


async def change_meeting(session: AsyncSession, meeting_id: str, **values: Any) -> None:
    await session.execute(update(meetings).where(meetings.c.id == meeting_id).values(**values))


async def get_meeting(session: AsyncSession, meeting_id: str, *, lock: bool = False) -> Meeting:
    """One meeting (without its agenda), or NotFound. `lock` holds its row until the transaction
    ends: on PostgreSQL that queues concurrent changes to one meeting (its places, its waiting
    list); SQLite has one writer at a time anyway and ignores it."""
    query = select(meetings).where(meetings.c.id == meeting_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    return (await _records(session, [row]))[0]


async def meetings_in_order(
    session: AsyncSession, status: MeetingStatus | None = None, *, public_only: bool = False
) -> list[Meeting]:
    query = select(meetings).order_by(meetings.c.starts_at)
    if status:
        query = query.where(meetings.c.status == status)
    if public_only:
        query = query.where(meetings.c.public.is_(True))
    return await _records(session, (await session.execute(query)).all())


async def add_attendees(session: AsyncSession, meeting_id: str, member_ids: Sequence[str]) -> None:
    if member_ids:
        await session.execute(
            meeting_attendees.insert(), [{"meeting_id": meeting_id, "member_id": m} for m in member_ids]
        )


async def attendees_of(session: AsyncSession, meeting_id: str) -> tuple[str, ...]:
    query = select(meeting_attendees.c.member_id).where(meeting_attendees.c.meeting_id == meeting_id)
    return tuple((await session.scalars(query)).all())


async def visits(session: AsyncSession, exclude: str | None = None) -> list[tuple[str | None, datetime]]:
    """(area, start) of every meeting not cancelled; an online-only meeting has no area."""
    query = select(meetings.c.area, meetings.c.starts_at).where(meetings.c.status != MeetingStatus.cancelled)
    if exclude:
        query = query.where(meetings.c.id != exclude)
    return [(r.area, r.starts_at) for r in (await session.execute(query)).all()]


async def next_forum_meeting_id(session: AsyncSession, now: datetime, exclude: str | None = None) -> str | None:
    """The next scheduled public meeting: the open meeting escalated issues are raised at."""
    query = select(meetings.c.id).where(
        meetings.c.status == MeetingStatus.scheduled,
        meetings.c.public.is_(True),
        meetings.c.starts_at > now,
    )
    if exclude:
        query = query.where(meetings.c.id != exclude)
    return await session.scalar(query.order_by(meetings.c.starts_at).limit(1))


def _due_a_reminder(now: datetime) -> Any:
    return select(meetings.c.id, meetings.c.starts_at).where(
        meetings.c.status == MeetingStatus.scheduled,
        meetings.c.reminder_sent_at.is_(None),
        meetings.c.starts_at > now,
        meetings.c.starts_at <= now + domain.REMINDER_AHEAD,
    )


async def any_due_a_reminder(session: AsyncSession, now: datetime) -> bool:
    return (await session.execute(_due_a_reminder(now).limit(1))).first() is not None


async def due_a_reminder(session: AsyncSession, now: datetime) -> list[tuple[str, datetime]]:
    """(id, start) of scheduled meetings starting within a day that have had no reminder."""
    rows = (await session.execute(_due_a_reminder(now).order_by(meetings.c.starts_at))).all()
    return [(r.id, r.starts_at) for r in rows]


async def mark_reminder_sent(session: AsyncSession, meeting_id: str, now: datetime) -> bool:
    """Marked only if still unmarked, so that another replica doing the same check cannot raise
    the reminder twice; says whether this one marked it."""
    marked = cast(
        CursorResult[Any],
        await session.execute(
            update(meetings)
            .where(meetings.c.id == meeting_id, meetings.c.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
        ),
    )
    return marked.rowcount == 1


async def _records(session: AsyncSession, rows: Sequence[Row[Any]]) -> list[Meeting]:
    counts: dict[tuple[str, str], int] = {}
    if rows:
        counted = await session.execute(
            select(registrations.c.meeting_id, registrations.c.status, func.count())
            .where(registrations.c.meeting_id.in_([r.id for r in rows]))
            .group_by(registrations.c.meeting_id, registrations.c.status)
        )
        counts = {(m, s): n for m, s, n in counted.all()}
    return [
        Meeting(
            id=r.id,
            title=r.title,
            starts_at=domain.to_london(r.starts_at),
            ends_at=domain.to_london(r.ends_at),
            venue=r.venue,
            address=r.address,
            area=r.area,
            online_url=r.online_url,
            public=r.public,
            capacity=r.capacity,
            access_services=tuple(r.access_services),
            access_notes=r.access_notes,
            status=MeetingStatus(r.status),
            cancel_reason=r.cancel_reason,
            sequence=r.sequence,
            created_at=r.created_at,
            updated_at=r.updated_at,
            held_on=r.held_on,
            hours=r.hours,
            public_attendees=r.public_attendees,
            minutes=r.minutes,
            registered=counts.get((r.id, RegistrationStatus.registered), 0),
            waiting=counts.get((r.id, RegistrationStatus.waiting), 0),
        )
        for r in rows
    ]
