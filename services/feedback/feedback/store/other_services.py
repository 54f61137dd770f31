"""What this service keeps of other services' events: pop-up forums (meetings), community groups
(signposting, kept by `forum_shared.community_groups` whatever order its events arrive in) and
members who asked to be forgotten (membership)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.records import CommunityGroup, PopUpForum
from feedback.store.tables import community_groups, erased_members, pop_up_forums
from forum_shared.community_groups import listed, record_group, record_withdrawal
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn


async def pop_up_forum(session: AsyncSession, pop_up_id: str) -> PopUpForum | None:
    row = (await session.execute(select(pop_up_forums).where(pop_up_forums.c.id == pop_up_id))).first()
    return None if row is None else PopUpForum(row.id, row.community_group_id, row.held_on, row.area)


async def keep_pop_up_forum(session: AsyncSession, held: PopUpForum) -> None:
    values = {"community_group_id": held.community_group_id, "held_on": held.held_on, "area": held.area}
    if await pop_up_forum(session, held.id):
        await session.execute(update(pop_up_forums).where(pop_up_forums.c.id == held.id).values(**values))
    else:
        await session.execute(insert(pop_up_forums).values(id=held.id, **values))


async def keep_community_group(
    session: AsyncSession, event: CommunityGroupRegistered | CommunityGroupUpdated, at: datetime
) -> None:
    await record_group(session, community_groups, event, at)


async def listed_group(session: AsyncSession, community_group_id: str) -> CommunityGroup | None:
    """The group, if the directory lists it now (known, and not withdrawn since it registered)."""
    row = (await session.execute(select(community_groups).where(community_groups.c.id == community_group_id))).first()
    if row is None or not listed(row.registered_at, row.withdrawn_at):
        return None
    return CommunityGroup(row.id, row.name, tuple(row.areas))


async def listed_groups(session: AsyncSession) -> list[CommunityGroup]:
    """Every group the directory lists now, by name."""
    query = select(community_groups).order_by(community_groups.c.name, community_groups.c.id)
    rows = (await session.execute(query)).all()
    return [CommunityGroup(r.id, r.name, tuple(r.areas)) for r in rows if listed(r.registered_at, r.withdrawn_at)]


async def keep_withdrawal(session: AsyncSession, event: CommunityGroupWithdrawn, at: datetime) -> None:
    await record_withdrawal(session, community_groups, event, at)


async def is_erased(session: AsyncSession, member_hash: str) -> bool:
    found = await session.scalar(
        select(erased_members.c.member_hash).where(erased_members.c.member_hash == member_hash)
    )
    return found is not None


async def remember_erasure(session: AsyncSession, member_hash: str, at: datetime) -> None:
    if not await is_erased(session, member_hash):
        await session.execute(insert(erased_members).values(member_hash=member_hash, erased_at=at))
