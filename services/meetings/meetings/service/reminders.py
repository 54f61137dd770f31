"""Reminders: once a meeting starts within a day, `MeetingReminderDue` for whatever else notifies
people, and an email to everyone with a place who gave an address. A periodic check (started by the
app) does it once per meeting, and again only if the meeting moves to another time."""

from __future__ import annotations

from datetime import UTC, datetime

from forum_shared.audit import SYSTEM
from forum_shared.db import Database
from forum_shared.events.meetings import MeetingReminderDue
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import Work, unit_of_work
from meetings import domain
from meetings.domain import RegistrationStatus
from meetings.service import emails
from meetings.store import meeting as stored
from meetings.store import registration as stored_registrations

log = get_logger("meetings.reminders")


async def send_due_reminders(work: Work, now: datetime) -> list[str]:
    """Raise `MeetingReminderDue` for each meeting starting within a day that has not had one, and
    email the people with a place at it; returns their ids."""
    sent = []
    for meeting_id, starts_at in await stored.due_a_reminder(work.session, now):
        if await stored.mark_reminder_sent(work.session, meeting_id, now):
            await work.publish(MeetingReminderDue(meeting_id=meeting_id, starts_at=domain.to_london(starts_at)))
            meeting = await stored.get_meeting(work.session, meeting_id)
            for registration in await stored_registrations.registrations_of(work.session, meeting_id):
                if registration.status == RegistrationStatus.registered:
                    await emails.reminder(work, meeting, registration)
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
