"""Pop-up forums, read with the community group that hosts them as the directory last named it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, Select, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import NotFound
from meetings import domain
from meetings.domain import PopUpStatus
from meetings.records import PopUpForum
from meetings.store.tables import community_groups, pop_up_forums


async def add_pop_up(session: AsyncSession, **values: Any) -> None:
    await session.execute(pop_up_forums.insert().values(**values))


async def change_pop_up(session: AsyncSession, pop_up_id: str, **values: Any) -> None:
    await session.execute(update(pop_up_forums).where(pop_up_forums.c.id == pop_up_id).values(**values))


def _with_group() -> Select[Any]:
    return select(
        pop_up_forums,
        community_groups.c.name.label("community_group_name"),
        community_groups.c.areas.label("community_group_areas"),
    ).select_from(
        pop_up_forums.outerjoin(community_groups, pop_up_forums.c.community_group_id == community_groups.c.id)
    )


async def get_pop_up(session: AsyncSession, pop_up_id: str, *, lock: bool = False) -> PopUpForum:
    """One pop-up forum, or NotFound; `lock` holds its row until the transaction ends (PostgreSQL;
    the group's side of the join cannot be locked, so the row is locked on its own first)."""
    if lock:
        await session.execute(select(pop_up_forums.c.id).where(pop_up_forums.c.id == pop_up_id).with_for_update())
    row = (await session.execute(_with_group().where(pop_up_forums.c.id == pop_up_id))).first()
    if row is None:
        raise NotFound(f"There is no pop-up forum with id {pop_up_id}.")
    return _record(row)


async def pop_ups_in_order(session: AsyncSession, community_group_id: str | None = None) -> list[PopUpForum]:
    query = _with_group().order_by(pop_up_forums.c.starts_at)
    if community_group_id:
        query = query.where(pop_up_forums.c.community_group_id == community_group_id)
    return [_record(r) for r in (await session.execute(query)).all()]


def _record(row: Row[Any]) -> PopUpForum:
    return PopUpForum(
        id=row.id,
        community_group_id=row.community_group_id,
        community_group_name=row.community_group_name,
        community_group_areas=tuple(row.community_group_areas or ()),
        facilitator_member_ids=tuple(row.facilitator_member_ids),
        starts_at=domain.to_london(row.starts_at),
        ends_at=domain.to_london(row.ends_at),
        venue=row.venue,
        area=row.area,
        topics=tuple(row.topics),
        status=PopUpStatus(row.status),
        cancel_reason=row.cancel_reason,
        created_at=row.created_at,
        held_on=row.held_on,
        hours=row.hours,
        participants=row.participants,
        shared=row.shared,
    )
