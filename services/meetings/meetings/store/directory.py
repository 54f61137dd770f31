"""What this service knows of other services, kept from their events: community groups (from
signposting; the table and its order-proof updates are the kit's `forum_shared.community_groups`),
who holds an involvement role (from membership), and which members asked to be forgotten."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.community_groups import listed
from meetings.records import CommunityGroup, RoleAssignment
from meetings.store.tables import community_groups, erased_members, role_holdings


async def find_group(session: AsyncSession, group_id: str) -> CommunityGroup | None:
    row = (await session.execute(select(community_groups).where(community_groups.c.id == group_id))).first()
    return None if row is None else _group(row)


async def groups_by_name(session: AsyncSession) -> list[CommunityGroup]:
    rows = (await session.execute(select(community_groups).order_by(community_groups.c.name))).all()
    return [_group(r) for r in rows]


async def is_erased(session: AsyncSession, member_id: str) -> bool:
    query = select(erased_members.c.member_id).where(erased_members.c.member_id == member_id)
    return (await session.scalar(query)) is not None


async def remember_erasure(session: AsyncSession, member_id: str, erased_at: datetime) -> None:
    if not await is_erased(session, member_id):
        await session.execute(erased_members.insert().values(member_id=member_id, erased_at=erased_at))


async def save_assignment(session: AsyncSession, assignment_id: str, **values: Any) -> None:
    """Add an assignment, or change what is known of it (its start and end may come in any order)."""
    query = select(role_holdings.c.assignment_id).where(role_holdings.c.assignment_id == assignment_id)
    if await session.scalar(query):
        await session.execute(
            update(role_holdings).where(role_holdings.c.assignment_id == assignment_id).values(**values)
        )
    else:
        await session.execute(role_holdings.insert().values(assignment_id=assignment_id, **values))


async def forget_holdings_of(session: AsyncSession, member_id: str) -> None:
    await session.execute(role_holdings.delete().where(role_holdings.c.member_id == member_id))


async def assignments(session: AsyncSession, member_ids: Sequence[str] | None = None) -> list[RoleAssignment]:
    """Role assignments (of the members named, or everyone's), by member then start."""
    query = select(role_holdings).order_by(role_holdings.c.member_id, role_holdings.c.starts_on)
    if member_ids is not None:
        query = query.where(role_holdings.c.member_id.in_(member_ids))
    return [
        RoleAssignment(
            assignment_id=r.assignment_id,
            member_id=r.member_id,
            role_id=r.role_id,
            role_title=r.role_title,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
        )
        for r in (await session.execute(query)).all()
    ]


def _group(row: Row[Any]) -> CommunityGroup:
    return CommunityGroup(
        id=row.id,
        name=row.name,
        areas=tuple(row.areas),
        can_host=listed(row.registered_at, row.withdrawn_at),
    )
