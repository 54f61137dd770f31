"""The managed list of themes staff triage feedback with (free tags cover the rest)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain import normalise_theme
from feedback.store import themes
from forum_shared.errors import Invalid, NotFound


async def list_themes(session: AsyncSession, include_retired: bool = False) -> list[dict]:
    query = select(themes.c.name, themes.c.active).order_by(themes.c.name)
    if not include_retired:
        query = query.where(themes.c.active.is_(True))
    return [dict(r._mapping) for r in (await session.execute(query)).all()]


async def active_names(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(themes.c.name).where(themes.c.active.is_(True))))


async def add_theme(session: AsyncSession, name: str) -> dict:
    """Add a theme to the list, or bring a retired one back."""
    name = normalise_theme(name)
    existing = await session.scalar(select(themes.c.active).where(themes.c.name == name))
    if existing is None:
        await session.execute(insert(themes).values(name=name, active=True, added_at=datetime.now(UTC)))
    elif not existing:
        await session.execute(update(themes).where(themes.c.name == name).values(active=True))
    return {"name": name, "active": True}


async def retire_theme(session: AsyncSession, name: str) -> dict:
    """Take a theme off the list; feedback already triaged with it keeps it."""
    name = normalise_theme(name)
    done = await session.execute(update(themes).where(themes.c.name == name).values(active=False))
    if done.rowcount == 0:
        raise NotFound(f"There is no theme called “{name}”.")
    return {"name": name, "active": False}


async def require_managed(session: AsyncSession, names: list[str]) -> None:
    unknown = sorted(set(names) - await active_names(session))
    if unknown:
        allowed = ", ".join(sorted(await active_names(session))) or "none yet"
        raise Invalid(
            f"Not on the managed theme list: {', '.join(unknown)}. Choose from: {allowed}; "
            "put anything else in tags, or add the theme first (POST /themes)."
        )


async def ensure_defaults(session: AsyncSession, names: list[str]) -> None:
    """A new database starts with the default list; after that, staff manage it."""
    if await session.scalar(select(func.count()).select_from(themes)):
        return
    now = datetime.now(UTC)
    clean = sorted({normalise_theme(n) for n in names if n.strip()})
    if clean:
        await session.execute(insert(themes), [{"name": n, "active": True, "added_at": now} for n in clean])
