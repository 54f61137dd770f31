"""The managed list of themes staff triage feedback with (free tags cover the rest). Only themes on
the list make theme clusters, so free words from a form cannot set governors' agenda."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain import normalise_theme
from feedback.records import Theme
from feedback.service import Actor
from feedback.store import theme_queries
from forum_shared.db import Database
from forum_shared.errors import Invalid, NotFound
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import unit_of_work

log = get_logger("feedback.themes")


async def list_themes(db: Database, include_retired: bool = False) -> list[Theme]:
    async with db.read() as session:
        return await theme_queries.list_themes(session, include_retired)


async def add_theme(db: Database, actor: Actor, name: str) -> Theme:
    """Add a theme to the list, or bring a retired one back."""
    name = normalise_theme(name)
    async with unit_of_work(db, actor, "theme.added", f"theme:{name}") as work:
        await theme_queries.add_or_restore(work.session, name, datetime.now(UTC))
        return Theme(name, active=True)


async def retire_theme(db: Database, actor: Actor, name: str) -> Theme:
    """Take a theme off the list; feedback already triaged with it keeps it."""
    name = normalise_theme(name)
    async with unit_of_work(db, actor, "theme.retired", f"theme:{name}") as work:
        if not await theme_queries.retire(work.session, name):
            raise NotFound(f"There is no theme called “{name}”.")
        return Theme(name, active=False)


async def require_managed(session: AsyncSession, names: Iterable[str]) -> None:
    """Refuse themes not on the managed list (a step of triage, in its transaction)."""
    active = await theme_queries.active_names(session)
    unknown = sorted(set(names) - active)
    if unknown:
        allowed = ", ".join(sorted(active)) or "none yet"
        raise Invalid(
            f"Not on the managed theme list: {', '.join(unknown)}. Choose from: {allowed}; "
            "put anything else in tags, or add the theme first (POST /themes)."
        )


async def seed_default_themes(db: Database, names: Iterable[str]) -> None:
    """A new database starts with the default list; after that, staff manage it."""
    clean = sorted({normalise_theme(n) for n in names if n.strip()})
    try:
        async with unit_of_work(db, "system") as work:
            if await theme_queries.is_empty(work.session):
                await theme_queries.add_many(work.session, clean, datetime.now(UTC))
    except IntegrityError:
        log.info("theme list already seeded by another replica")
