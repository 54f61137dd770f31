"""Registration details are kept only while they are needed: some days after a meeting ends (or
was due to end, if it was cancelled), the names, contact details and notes of the people who
registered are cleared. What kinds of access support were asked for, and who had a place, stay for
planning; members keep their bare id, as membership holds their details. Email still waiting to
go to an address cleared, and what sent email still holds about it, is forgotten too, unless
another registration (for a meeting still to come) holds the same address. A periodic check
(started by the app) does it; running it twice changes nothing."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from forum_shared import mail
from forum_shared.audit import SYSTEM
from forum_shared.db import Database
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import unit_of_work
from meetings.store import registration as stored

log = get_logger("meetings.retention")


async def clear_old_registration_details(db: Database, kept_days: int, now: datetime | None = None) -> int:
    """Clear the details of registrations for meetings that ended over `kept_days` ago; returns
    how many registrations were cleared. A short read first, so a round with nothing to do does not
    queue behind writers on SQLite."""
    ended_before = (now or datetime.now(UTC)) - timedelta(days=kept_days)
    async with db.read() as session:
        if not await stored.details_kept_after_meetings_ended_before(session, ended_before):
            return 0
    async with unit_of_work(db, SYSTEM) as work:
        addresses = await stored.contact_emails_to_clear(work.session, ended_before)
        cleared = await stored.clear_details(work.session, ended_before)
        still_held = await stored.contact_emails_in_use(work.session, list(addresses))
        for address in addresses:
            if address.lower() not in still_held:
                await mail.forget(work.session, address)
        # Cleared means gone from the files as well, as for an erasure.
        db.forget_after_commit(work.session)
    log.info("registration details cleared after their meetings", registrations=cleared)
    return cleared
