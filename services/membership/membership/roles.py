"""Use cases about involvement roles: advertise, express interest, assign, end, and history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events import InvolvementRoleAdvertised, InvolvementRoleAssigned, InvolvementRoleEnded
from membership import domain, service
from membership.role_schemas import AssignmentCreate, AssignmentEnd, ChatArrange, InterestCreate, RoleCreate
from membership.store import assignments, interests, members, roles


async def advertise_role(session: AsyncSession, data: RoleCreate) -> dict:
    row = {
        "id": str(uuid.uuid4()),
        "title": data.title,
        "description": data.description,
        "hours_per_month_hundredths": domain.hundredths_of(data.hours_per_month),
        "paid": data.paid,
        "hourly_rate_pence": int((data.hourly_rate or 0) * 100),
        "vacancies": data.vacancies,
        "closing_date": data.closing_date,
        "advertised_at": datetime.now(UTC),
    }
    await session.execute(insert(roles).values(**row))
    await outbox.record(
        session,
        InvolvementRoleAdvertised(
            role_id=row["id"], title=row["title"], paid=row["paid"], closing_date=row["closing_date"]
        ),
    )
    return await get_role(session, row["id"])


async def get_role(session: AsyncSession, role_id: str) -> dict:
    row = (await session.execute(select(roles).where(roles.c.id == role_id))).first()
    if row is None:
        raise NotFound(f"There is no involvement role with id {role_id}.")
    return await _role_public(session, row)


async def list_roles(session: AsyncSession, open_only: bool = False) -> list[dict]:
    rows = (await session.execute(select(roles).order_by(roles.c.advertised_at))).all()
    found = [await _role_public(session, r) for r in rows]
    return [r for r in found if r["open"]] if open_only else found


async def _role_public(session: AsyncSession, row) -> dict:
    today = domain.today()
    held = await _holdings_of_role(session, row.id)
    filled = sum(1 for h in held if domain.overlaps(h.starts_on, h.ends_on, today, today))
    return {
        **row._mapping,
        "hours_per_month": domain.hours(row.hours_per_month_hundredths),
        "hourly_rate": domain.money(row.hourly_rate_pence) if row.paid else None,
        "vacancies_left": max(row.vacancies - filled, 0),
        "open": row.closing_date is None or row.closing_date >= today,
    }


async def express_interest(session: AsyncSession, role_id: str, data: InterestCreate) -> dict:
    """A member says they are interested, with a short note if they like; no interview."""
    role = await get_role(session, role_id)
    member = await service.active_member(session, data.member_id)
    if not role["open"]:
        raise Conflict(f"Interest in '{role['title']}' closed on {role['closing_date']:%d %B %Y}.")
    earlier = await session.scalar(
        select(interests.c.id).where(interests.c.role_id == role_id, interests.c.member_id == data.member_id)
    )
    if earlier:
        raise Conflict(
            f"Thank you, {member['display_name']} — your interest in '{role['title']}' is already noted. "
            "Nothing has been changed."
        )
    row = {
        "id": str(uuid.uuid4()),
        "role_id": role_id,
        "member_id": data.member_id,
        "note": data.note.strip(),
        "would_like_a_chat": data.would_like_a_chat,
        "status": "interested",
        "expressed_at": datetime.now(UTC),
    }
    await session.execute(insert(interests).values(**row))
    return await _interest(session, row["id"])


async def list_interests(session: AsyncSession, role_id: str) -> list[dict]:
    await get_role(session, role_id)
    rows = await session.execute(_interests_query().where(interests.c.role_id == role_id))
    return [dict(r._mapping) for r in rows.all()]


async def arrange_chat(session: AsyncSession, interest_id: str, data: ChatArrange) -> dict:
    """Staff arrange an informal chat with an interested member (never an interview)."""
    await _interest(session, interest_id)
    await session.execute(
        update(interests)
        .where(interests.c.id == interest_id)
        .values(status="chat_arranged", chat_on=data.chat_on, chat_note=data.note)
    )
    return await _interest(session, interest_id)


def _interests_query():
    return (
        select(interests, members.c.display_name)
        .join(members, members.c.id == interests.c.member_id)
        .order_by(interests.c.expressed_at)
    )


async def _interest(session: AsyncSession, interest_id: str) -> dict:
    row = (await session.execute(_interests_query().where(interests.c.id == interest_id))).first()
    if row is None:
        raise NotFound(f"There is no expression of interest with id {interest_id}.")
    return dict(row._mapping)


async def assign(session: AsyncSession, role_id: str, data: AssignmentCreate) -> dict:
    """Staff give a member a role from a start date, while the role has a place free."""
    # Lock the role (PostgreSQL; SQLite has one writer anyway) so two staff cannot fill its last
    # place at the same moment.
    await session.execute(select(roles.c.id).where(roles.c.id == role_id).with_for_update())
    role = await get_role(session, role_id)
    member = await service.active_member(session, data.member_id)
    overlapping = [
        h
        for h in await _holdings_of_role(session, role_id)
        if domain.overlaps(data.starts_on, None, h.starts_on, h.ends_on)
    ]
    if any(h.member_id == data.member_id for h in overlapping):
        raise Conflict(
            f"{member['display_name']} already holds '{role['title']}' at that time. "
            "Nothing has been changed."
        )
    if len(overlapping) >= role["vacancies"]:
        raise Conflict(
            f"All {role['vacancies']} place(s) in '{role['title']}' are taken from "
            f"{data.starts_on:%d %B %Y}: end a holding first, or choose a later start date."
        )
    now = datetime.now(UTC)
    row = {
        "id": str(uuid.uuid4()),
        "role_id": role_id,
        "member_id": data.member_id,
        "starts_on": data.starts_on,
        "assigned_at": now,
    }
    await session.execute(insert(assignments).values(**row))
    await session.execute(
        update(interests)
        .where(interests.c.role_id == role_id, interests.c.member_id == data.member_id)
        .values(status="assigned")
    )
    await outbox.record(
        session,
        InvolvementRoleAssigned(
            assignment_id=row["id"],
            member_id=data.member_id,
            role_id=role_id,
            role_title=role["title"],
            starts_on=data.starts_on,
        ),
    )
    return await get_assignment(session, row["id"])


async def end_assignment(session: AsyncSession, assignment_id: str, data: AssignmentEnd) -> dict:
    """Staff end a member's holding of a role; the holding stays in the role's history."""
    holding = await get_assignment(session, assignment_id)
    if holding["ends_on"] is not None:
        raise Conflict(
            f"This holding already ends on {holding['ends_on']:%d %B %Y}. Nothing has been changed."
        )
    if data.ends_on < holding["starts_on"]:
        raise Invalid(f"The end date cannot be before the start date ({holding['starts_on']:%d %B %Y}).")
    await session.execute(
        update(assignments)
        .where(assignments.c.id == assignment_id)
        .values(ends_on=data.ends_on, ended_at=datetime.now(UTC))
    )
    await outbox.record(
        session,
        InvolvementRoleEnded(
            assignment_id=assignment_id,
            member_id=holding["member_id"],
            role_id=holding["role_id"],
            ends_on=data.ends_on,
        ),
    )
    return await get_assignment(session, assignment_id)


def _assignments_query():
    return (
        select(assignments, roles.c.title.label("role_title"), members.c.display_name)
        .join(roles, roles.c.id == assignments.c.role_id)
        .join(members, members.c.id == assignments.c.member_id)
        .order_by(assignments.c.starts_on, assignments.c.assigned_at)
    )


def _assignment_public(row) -> dict:
    today = domain.today()
    return {**row._mapping, "current": domain.overlaps(row.starts_on, row.ends_on, today, today)}


async def get_assignment(session: AsyncSession, assignment_id: str) -> dict:
    row = (await session.execute(_assignments_query().where(assignments.c.id == assignment_id))).first()
    if row is None:
        raise NotFound(f"There is no role holding with id {assignment_id}.")
    return _assignment_public(row)


async def role_history(session: AsyncSession, role_id: str) -> list[dict]:
    """Everyone who has held the role, when they started and when they stopped."""
    await get_role(session, role_id)
    rows = await session.execute(_assignments_query().where(assignments.c.role_id == role_id))
    return [_assignment_public(r) for r in rows.all()]


async def member_roles(session: AsyncSession, member_id: str) -> list[dict]:
    """Every role a member has held, and holds."""
    await service.get_member(session, member_id)
    rows = await session.execute(_assignments_query().where(assignments.c.member_id == member_id))
    return [_assignment_public(r) for r in rows.all()]


async def _holdings_of_role(session: AsyncSession, role_id: str) -> list:
    return (await session.execute(select(assignments).where(assignments.c.role_id == role_id))).all()
