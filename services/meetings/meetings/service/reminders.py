"""Reminders: `MeetingReminderDue` once a meeting starts within a day, for whatever notifies
people. A periodic check (started by the app) raises it once per meeting, and again only if the
meeting moves to another time."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.db import Database
from forum_shared.events import MeetingReminderDue
from forum_shared.logs import get_logger
from meetings import domain
from meetings.domain import MeetingStatus
from meetings.store import meetings

log = get_logger("meetings.reminders")


def _due(now: datetime):
    return select(meetings.c.id, meetings.c.starts_at).where(
        meetings.c.status == MeetingStatus.scheduled,
        meetings.c.reminder_sent_at.is_(None),
        meetings.c.starts_at > now,
        meetings.c.starts_at <= now + domain.REMINDER_AHEAD,
    )


async def send_due_reminders(session: AsyncSession, now: datetime) -> list[str]:
    """Raise `MeetingReminderDue` for each meeting starting within a day that has not had one."""
    sent = []
    for meeting in (await session.execute(_due(now).order_by(meetings.c.starts_at))).all():
        # Marked only if still unmarked: another replica doing the same check cannot raise it twice.
        marked = await session.execute(
            update(meetings)
            .where(meetings.c.id == meeting.id, meetings.c.reminder_sent_at.is_(None))
            .values(reminder_sent_at=now)
        )
        if marked.rowcount == 1:
            await outbox.record(
                session,
                MeetingReminderDue(meeting_id=meeting.id, starts_at=domain.to_london(meeting.starts_at)),
            )
            sent.append(meeting.id)
    return sent


async def check_reminders(db: Database) -> list[str]:
    """One round of the periodic check: a short read first, so that a round with nothing due
    does not queue behind writers on SQLite."""
    now = datetime.now(UTC)
    async with db.read() as session:
        if (await session.execute(_due(now).limit(1))).first() is None:
            return []
    async with db.transaction() as session:
        sent = await send_due_reminders(session, now)
    log.info("meeting reminders raised", meetings=len(sent))
    return sent
