"""What this service knows of other services, kept from their events: community groups (from
signposting, kept by `forum_shared.community_groups`) and who holds an involvement role (from
membership).

Each kind of event has its own durable consumer, so events about one group or one person can
arrive out of order; each change is therefore applied so that the order does not matter
(event times decide between a registration and a withdrawal, an end is kept whenever it comes).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.community_groups import listed
from forum_shared.events import (
    InvolvementRoleAssigned,
    InvolvementRoleEnded,
    MemberErased,
)
from meetings import domain
from meetings.store import community_groups, erased_members, registrations, role_holdings


async def _group(session: AsyncSession, group_id: str):
    return (await session.execute(select(community_groups).where(community_groups.c.id == group_id))).first()


async def community_group(session: AsyncSession, group_id: str) -> dict | None:
    row = await _group(session, group_id)
    return None if row is None else _group_view(row)


async def list_community_groups(session: AsyncSession, can_host: bool | None = None) -> list[dict]:
    rows = (await session.execute(select(community_groups).order_by(community_groups.c.name))).all()
    groups = [_group_view(r) for r in rows]
    return [g for g in groups if can_host is None or g["can_host"] == can_host]


def _group_view(row) -> dict:
    return {**row._mapping, "can_host": listed(row.registered_at, row.withdrawn_at)}


async def _erased(session: AsyncSession, member_id: str) -> bool:
    return (
        await session.scalar(select(erased_members.c.member_id).where(erased_members.c.member_id == member_id))
    ) is not None


async def record_role_assigned(session: AsyncSession, event: InvolvementRoleAssigned) -> None:
    """A member started holding an involvement role."""
    if await _erased(session, event.member_id):
        return
    values = {"member_id": event.member_id, "role_id": event.role_id, "role_title": event.role_title, "starts_on": event.starts_on}
    await _upsert_holding(session, event.assignment_id, values)


async def record_role_ended(session: AsyncSession, event: InvolvementRoleEnded) -> None:
    """A member stopped holding an involvement role (kept, so the order of events does not matter)."""
    if await _erased(session, event.member_id):
        return
    values = {"member_id": event.member_id, "role_id": event.role_id, "ends_on": event.ends_on}
    await _upsert_holding(session, event.assignment_id, values)


async def _upsert_holding(session: AsyncSession, assignment_id: str, values: dict) -> None:
    exists = await session.scalar(
        select(role_holdings.c.assignment_id).where(role_holdings.c.assignment_id == assignment_id)
    )
    if exists:
        await session.execute(update(role_holdings).where(role_holdings.c.assignment_id == assignment_id).values(**values))
    else:
        await session.execute(role_holdings.insert().values(assignment_id=assignment_id, **values))


async def holdings_of(session: AsyncSession, member_ids: list[str]) -> list[domain.RoleHolding]:
    rows = (await session.execute(select(role_holdings).where(role_holdings.c.member_id.in_(member_ids)))).all()
    return [domain.RoleHolding(r.member_id, r.starts_on, r.ends_on) for r in rows]


async def list_role_holders(session: AsyncSession, on: date) -> list[dict]:
    """Members who hold an involvement role on the given day, with their roles."""
    rows = (await session.execute(select(role_holdings).order_by(role_holdings.c.member_id, role_holdings.c.starts_on))).all()
    holders: dict[str, list[dict]] = {}
    for row in rows:
        if domain.RoleHolding(row.member_id, row.starts_on, row.ends_on).held_on(on):
            holders.setdefault(row.member_id, []).append(dict(row._mapping))
    return [{"member_id": member, "roles": roles} for member, roles in holders.items()]


async def forget_member(session: AsyncSession, event: MemberErased) -> None:
    """A member asked to be forgotten: their roles go, and their registrations keep nothing but
    the bare id (access needs and notes can say much about a person's health)."""
    if not await _erased(session, event.member_id):
        await session.execute(erased_members.insert().values(member_id=event.member_id, erased_at=event.erased_at))
    await session.execute(role_holdings.delete().where(role_holdings.c.member_id == event.member_id))
    await session.execute(
        update(registrations)
        .where(registrations.c.member_id == event.member_id)
        .values(name=None, contact_email=None, contact_phone=None, access_needs=[], access_notes=None)
    )
