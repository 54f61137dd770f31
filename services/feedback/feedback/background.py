"""Work the feedback service does on its own, beside requests and events: seeding the theme
list, and looking for overdue escalations (run every so often by the kit's `Periodic`)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from feedback import governance, themes
from feedback.config import Settings
from forum_shared.db import Database
from forum_shared.logs import get_logger

log = get_logger("feedback.background")


async def seed_themes(db: Database, settings: Settings) -> None:
    try:
        async with db.transaction() as session:
            await themes.ensure_defaults(session, settings.default_themes)
    except IntegrityError:
        log.info("theme list already seeded by another replica")


async def check_overdue_once(db: Database, settings: Settings) -> list[str]:
    today = settings.rules().local_date(datetime.now(UTC))
    async with db.transaction() as session:
        found = await governance.check_overdue(session, today)
    if found:
        log.info("overdue escalations found", count=len(found), escalation_ids=found)
    return found
