"""The managed theme list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.records import Theme
from feedback.store.tables import rows_changed, themes


async def list_themes(session: AsyncSession, include_retired: bool = False) -> list[Theme]:
    query = select(themes.c.name, themes.c.active).order_by(themes.c.name)
    if not include_retired:
        query = query.where(themes.c.active.is_(True))
    return [Theme(r.name, r.active) for r in await session.execute(query)]


async def active_names(session: AsyncSession) -> set[str]:
    return set(await session.scalars(select(themes.c.name).where(themes.c.active.is_(True))))


async def every_name(session: AsyncSession) -> set[str]:
    """Every theme ever on the list, retired ones included."""
    return set(await session.scalars(_EVERY_NAME))


_EVERY_NAME = select(themes.c.name)  # asked with every piece of feedback: made once


async def add_or_restore(session: AsyncSession, name: str, at: datetime) -> None:
    existing = await session.scalar(select(themes.c.active).where(themes.c.name == name))
    if existing is None:
        await session.execute(insert(themes).values(name=name, active=True, added_at=at))
    elif not existing:
        await session.execute(update(themes).where(themes.c.name == name).values(active=True))


async def retire(session: AsyncSession, name: str) -> bool:
    """False if there is no such theme."""
    done = await session.execute(update(themes).where(themes.c.name == name).values(active=False))
    return rows_changed(done) > 0


async def is_empty(session: AsyncSession) -> bool:
    return not await session.scalar(select(func.count()).select_from(themes))


async def add_many(session: AsyncSession, names: Iterable[str], at: datetime) -> None:
    rows = [{"name": n, "active": True, "added_at": at} for n in names]
    if rows:
        await session.execute(insert(themes), rows)
