"""Registration details are kept only while they are needed: some days after a meeting ends (or
was due to end, if it was cancelled), the names, contact details and notes of the people who
registered are cleared. What kinds of access support were asked for, and who had a place, stay for
planning; members keep their bare id, as membership holds their details. A periodic check
(started by the app) does it; running it twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import or_, select, update

from forum_shared.db import Database
from forum_shared.logs import get_logger
from meetings.store import meetings, registrations

log = get_logger("meetings.retention")

DETAILS = ("name", "contact_email", "contact_phone", "access_notes")


def _expired(now: datetime, kept_days: int):
    ended = select(meetings.c.id).where(meetings.c.ends_at < now - timedelta(days=kept_days))
    return (
        registrations.c.meeting_id.in_(ended),
        or_(*(registrations.c[column].is_not(None) for column in DETAILS)),
    )


async def clear_old_registration_details(db: Database, kept_days: int, now: datetime | None = None) -> int:
    """Clear the details of registrations for meetings that ended over `kept_days` ago; returns
    how many registrations were cleared. A short read first, so a round with nothing to do does not
    queue behind writers on SQLite."""
    now = now or datetime.now(UTC)
    async with db.read() as session:
        if (await session.execute(select(registrations.c.id).where(*_expired(now, kept_days)).limit(1))).first() is None:
            return 0
    async with db.transaction() as session:
        cleared = await session.execute(
            update(registrations).where(*_expired(now, kept_days)).values(**dict.fromkeys(DETAILS))
        )
    log.info("registration details cleared after their meetings", registrations=cleared.rowcount)
    return cleared.rowcount
