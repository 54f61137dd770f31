"""Who held which involvement role when: a row per holding, never overwritten."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.records import RoleHolding
from membership.store.tables import assignments, members, roles


async def add_holding(
    session: AsyncSession, assignment_id: str, role_id: str, member_id: str, starts_on: date, now: datetime
) -> None:
    await session.execute(
        insert(assignments).values(
            id=assignment_id, role_id=role_id, member_id=member_id, starts_on=starts_on, assigned_at=now
        )
    )


async def end_holding(session: AsyncSession, assignment_id: str, ends_on: date, now: datetime) -> None:
    await session.execute(
        update(assignments).where(assignments.c.id == assignment_id).values(ends_on=ends_on, ended_at=now)
    )


async def get_holding(session: AsyncSession, assignment_id: str) -> RoleHolding | None:
    found = await _holdings(session, assignments.c.id == assignment_id)
    return found[0] if found else None


async def holdings_of_role(session: AsyncSession, role_id: str) -> list[RoleHolding]:
    """Every holding of the role, past and present, by start date."""
    return await _holdings(session, assignments.c.role_id == role_id)


async def holdings_of_member(session: AsyncSession, member_id: str) -> list[RoleHolding]:
    return await _holdings(session, assignments.c.member_id == member_id)


async def holdings_on(session: AsyncSession, day: date) -> list[RoleHolding]:
    """Every holding that covers the day."""
    return await _holdings(
        session,
        assignments.c.starts_on <= day,
        or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= day),
    )


async def holdings_not_over_by(session: AsyncSession, day: date) -> list[RoleHolding]:
    """Everyone's holdings that have not ended before the day (including those yet to start)."""
    return await _holdings(session, or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= day))


async def holdings_not_over(session: AsyncSession, member_id: str, day: date) -> list[RoleHolding]:
    """A member's holdings that have not ended before the day (including those yet to start)."""
    return await _holdings(
        session,
        assignments.c.member_id == member_id,
        or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= day),
    )


async def holdings_with_pay(session: AsyncSession, member_id: str) -> list[domain.Holding]:
    """A member's holdings with their roles' pay, to choose which one time counts under."""
    rows = await session.execute(
        select(
            assignments.c.id,
            assignments.c.starts_on,
            assignments.c.ends_on,
            roles.c.paid,
            roles.c.hourly_rate_pence,
        )
        .join(roles, roles.c.id == assignments.c.role_id)
        .where(assignments.c.member_id == member_id)
    )
    return [domain.Holding(r.id, r.starts_on, r.ends_on, r.paid, r.hourly_rate_pence) for r in rows.all()]


async def _holdings(session: AsyncSession, *where: Any) -> list[RoleHolding]:
    rows = await session.execute(
        select(assignments, roles.c.title.label("role_title"), members.c.display_name)
        .join(roles, roles.c.id == assignments.c.role_id)
        .join(members, members.c.id == assignments.c.member_id)
        .where(*where)
        .order_by(assignments.c.starts_on, assignments.c.assigned_at)
    )
    return [
        RoleHolding(
            id=r.id,
            role_id=r.role_id,
            role_title=r.role_title,
            member_id=r.member_id,
            display_name=r.display_name,
            starts_on=r.starts_on,
            ends_on=r.ends_on,
            assigned_at=r.assigned_at,
            ended_at=r.ended_at,
        )
        for r in rows.all()
    ]
