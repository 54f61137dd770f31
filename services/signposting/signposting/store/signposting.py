"""Anonymous signposting records, searches that found nothing, and the rows of the report of both.

No row here can identify anyone: an area is a postcode district at most, needs are taxonomy term
ids or a few words checked for contact details, and there is no column for a name or notes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting.records import Signposting, UnmetSearch
from signposting.store.tables import signposting_needs, signpostings, unmet_searches


async def add_signposting(session: AsyncSession, record: Signposting) -> None:
    await session.execute(insert(signpostings).values(
        id=record.id, given_at=record.given_at, area=record.area, needs=record.needs, service_ids=record.service_ids))
    if record.needs:
        await session.execute(
            insert(signposting_needs), [{"signposting_id": record.id, "need": n} for n in record.needs]
        )


async def signposting_count(session: AsyncSession) -> int:
    return int(await session.scalar(select(func.count()).select_from(signpostings)) or 0)


async def newest_signpostings(session: AsyncSession, offset: int, limit: int) -> list[Signposting]:
    rows = await session.execute(
        select(signpostings).order_by(signpostings.c.given_at.desc(), signpostings.c.id).offset(offset).limit(limit)
    )
    return [
        Signposting(row.id, row.given_at, row.area, list(row.needs or []), list(row.service_ids or [])) for row in rows
    ]


async def signpostings_between(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> list[Signposting]:
    """Signposting given from `start` up to (not including) `end`; either may be open."""
    query = select(signpostings)
    if start:
        query = query.where(signpostings.c.given_at >= start)
    if end:
        query = query.where(signpostings.c.given_at < end)
    rows = await session.execute(query)
    return [
        Signposting(row.id, row.given_at, row.area, list(row.needs or []), list(row.service_ids or [])) for row in rows
    ]


async def add_unmet_search(session: AsyncSession, search: UnmetSearch) -> None:
    await session.execute(
        insert(unmet_searches).values(
            id=search.id, searched_at=search.searched_at, area=search.area, needs=search.needs, words=search.words
        )
    )


async def unmet_searches_between(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> list[UnmetSearch]:
    query = select(unmet_searches)
    if start:
        query = query.where(unmet_searches.c.searched_at >= start)
    if end:
        query = query.where(unmet_searches.c.searched_at < end)
    rows = await session.execute(query)
    return [UnmetSearch(row.id, row.searched_at, row.area, list(row.needs or []), row.words) for row in rows]
