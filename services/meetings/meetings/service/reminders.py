"""Reminders: `MeetingReminderDue` once a meeting starts within a day, for whatever notifies
people. A periodic check (started by the app) raises it once per meeting, and again only if the
meeting moves to another time."""

from __future__ import annotations

from datetime import UTC, datetime

from forum_shared.audit import SYSTEM
from forum_shared.db import Database
from forum_shared.events.meetings import MeetingReminderDue
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import Work, unit_of_work
from meetings import domain
from meetings.store import meeting as stored

log = get_logger("meetings.reminders")


async def send_due_reminders(work: Work, now: datetime) -> list[str]:
    """Raise `MeetingReminderDue` for each meeting starting within a day that has not had one;
    returns their ids."""
    sent = []
    for meeting_id, starts_at in await stored.due_a_reminder(work.session, now):
        if await stored.mark_reminder_sent(work.session, meeting_id, now):
            await work.publish(MeetingReminderDue(meeting_id=meeting_id, starts_at=domain.to_london(starts_at)))
            sent.append(meeting_id)
    return sent


async def check_reminders(db: Database, now: datetime | None = None) -> list[str]:
    """One round of the periodic check: a short read first, so that a round with nothing due
    does not queue behind writers on SQLite."""
    now = now or datetime.now(UTC)
    async with db.read() as session:
        if not await stored.any_due_a_reminder(session, now):
            return []
    async with unit_of_work(db, SYSTEM) as work:
        sent = await send_due_reminders(work, now)
    log.info("meeting reminders raised", meetings=len(sent))
    return sent
