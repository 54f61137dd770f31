"""The involvement record: each piece of time a member gave, with the rate copied onto it."""

from __future__ import annotations

from datetime import date
from typing import Any, cast

from sqlalchemy import CursorResult, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import insert_on_conflict
from membership.domain import EntryKind, EntrySource
from membership.records import InvolvementEntry
from membership.store.tables import assignments, involvement_entries, members, roles


async def add_entry(session: AsyncSession, entry: dict[str, Any]) -> None:
    await session.execute(insert(involvement_entries).values(**entry))


async def add_entry_once(session: AsyncSession, entry: dict[str, Any]) -> bool:
    """Add unless this member already has an entry for this meeting or pop-up forum; whether it was
    added. The unique key decides, so two deliveries at the same moment cannot both add one."""
    statement = (
        insert_on_conflict(session, involvement_entries)
        .values(**entry)
        .on_conflict_do_nothing(index_elements=["source", "source_id", "member_id"])
    )
    result = cast(CursorResult[Any], await session.execute(statement))
    return result.rowcount > 0


async def added_entry(session: AsyncSession, entry_id: str) -> InvolvementEntry:
    """An entry this transaction has just added, as it reads back."""
    (entry,) = await _entries(session, involvement_entries.c.id == entry_id)
    return entry


async def entries(
    session: AsyncSession,
    *,
    member_id: str | None = None,
    worked_from: date | None = None,
    worked_before: date | None = None,
    paid_only: bool = False,
) -> list[InvolvementEntry]:
    """Entries by the day the time was given, then as recorded."""
    where = []
    if member_id is not None:
        where.append(involvement_entries.c.member_id == member_id)
    if worked_from is not None:
        where.append(involvement_entries.c.worked_on >= worked_from)
    if worked_before is not None:
        where.append(involvement_entries.c.worked_on < worked_before)
    if paid_only:
        where.append(involvement_entries.c.paid.is_(True))
    return await _entries(session, *where)


async def _entries(session: AsyncSession, *where: Any) -> list[InvolvementEntry]:
    rows = await session.execute(
        select(involvement_entries, roles.c.title.label("role_title"), members.c.display_name)
        .join(members, members.c.id == involvement_entries.c.member_id)
        .outerjoin(assignments, assignments.c.id == involvement_entries.c.assignment_id)
        .outerjoin(roles, roles.c.id == assignments.c.role_id)
        .where(*where)
        .order_by(
            involvement_entries.c.worked_on, involvement_entries.c.recorded_at, involvement_entries.c.id
        )
    )
    return [
        InvolvementEntry(
            id=r.id,
            member_id=r.member_id,
            display_name=r.display_name,
            kind=EntryKind(r.kind),
            worked_on=r.worked_on,
            hours_hundredths=r.hours_hundredths,
            assignment_id=r.assignment_id,
            role_title=r.role_title,
            paid=r.paid,
            hourly_rate_pence=r.hourly_rate_pence,
            source=EntrySource(r.source),
            source_id=r.source_id,
            note=r.note,
            recorded_at=r.recorded_at,
        )
        for r in rows.all()
    ]
