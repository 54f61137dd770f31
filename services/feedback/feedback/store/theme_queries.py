"""The managed theme list."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from weakref import WeakKeyDictionary

from sqlalchemy import event, func, insert, select, update
from sqlalchemy.engine import Engine
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


_EVERY_NAME = select(themes.c.name)  # made once


async def on_the_list(session: AsyncSession, names: Iterable[str]) -> set[str]:
    """Which of `names` are on the list, retired ones included (asked with every piece of feedback).

    A name once on the list stays there (retiring a theme keeps its name), so a name seen in a
    committed transaction is on it for good. Those are remembered for each database, and the list
    is read (as this transaction sees it) only for a name not seen yet."""
    wanted = set(names)
    seen = _seen_names(session)
    if wanted <= seen:
        return wanted
    every = await every_name(session)
    # Remembered once this transaction commits: a name it added itself would go with a rollback.
    event.listen(session.sync_session, "after_commit", lambda _session: seen.update(every), once=True)
    return wanted & every


# Theme names seen committed, for each database (its engine): only ever added to, as the list is.
_SEEN: WeakKeyDictionary[Engine, set[str]] = WeakKeyDictionary()


def _seen_names(session: AsyncSession) -> set[str]:
    engine = session.sync_session.get_bind()
    assert isinstance(engine, Engine)
    return _SEEN.setdefault(engine, set())


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
