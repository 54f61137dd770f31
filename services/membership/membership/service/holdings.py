"""Who holds an involvement role: staff give a member a role from a start date and end it later;
every holding stays in the role's history."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import InvolvementRoleAssigned, InvolvementRoleEnded
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.records import RoleHolding
from membership.schemas import AssignmentCreate, AssignmentEnd
from membership.service import emails
from membership.service.members import active_member, existing_member
from membership.service.roles import existing_role
from membership.store import holding_queries, interest_queries, role_queries


async def existing_holding(session: AsyncSession, assignment_id: str) -> RoleHolding:
    holding = await holding_queries.get_holding(session, assignment_id)
    if holding is None:
        raise NotFound(f"There is no role holding with id {assignment_id}.")
    return holding


async def assign_role(db: Database, actor: Principal, role_id: str, data: AssignmentCreate) -> RoleHolding:
    """Staff give a current member a role from a start date, while the role has a place free then;
    other services hear of it (InvolvementRoleAssigned), and the member by email if they agreed
    to hear about involvement roles."""
    async with unit_of_work(db, actor) as work:
        await role_queries.lock_role(work.session, role_id)
        role = await existing_role(work.session, role_id)
        member = await active_member(work.session, data.member_id)
        overlapping = [
            h
            for h in await holding_queries.holdings_of_role(work.session, role_id)
            if domain.overlaps(data.starts_on, None, h.starts_on, h.ends_on)
        ]
        if any(h.member_id == data.member_id for h in overlapping):
            raise Conflict(
                f"{member.display_name} already holds '{role.title}' at that time. Nothing has been changed."
            )
        if len(overlapping) >= role.vacancies:
            raise Conflict(
                f"All {role.vacancies} place(s) in '{role.title}' are taken from "
                f"{data.starts_on:%d %B %Y}: end a holding first, or choose a later start date."
            )
        holding_id = str(uuid.uuid4())
        await holding_queries.add_holding(
            work.session, holding_id, role_id, data.member_id, data.starts_on, datetime.now(UTC)
        )
        await interest_queries.mark_assigned(work.session, role_id, data.member_id)
        await work.publish(
            InvolvementRoleAssigned(
                assignment_id=holding_id,
                member_id=data.member_id,
                role_id=role_id,
                role_title=role.title,
                starts_on=data.starts_on,
            )
        )
        work.audit("role.assigned", f"assignment:{holding_id}", role_id=role_id, member_id=data.member_id)
        await emails.role_given(work, member, role, data.starts_on)
        return await existing_holding(work.session, holding_id)


async def end_holding(db: Database, actor: Principal, assignment_id: str, data: AssignmentEnd) -> RoleHolding:
    """Staff end a member's holding of a role on a day; it stays in the role's history and other
    services hear of it (InvolvementRoleEnded)."""
    async with unit_of_work(db, actor, "role.ended", f"assignment:{assignment_id}") as work:
        holding = await existing_holding(work.session, assignment_id)
        if holding.ends_on is not None:
            raise Conflict(f"This holding already ends on {holding.ends_on:%d %B %Y}. Nothing has been changed.")
        domain.require_end_not_before_start(holding.starts_on, data.ends_on)
        await holding_queries.end_holding(work.session, assignment_id, data.ends_on, datetime.now(UTC))
        await work.publish(
            InvolvementRoleEnded(
                assignment_id=assignment_id,
                member_id=holding.member_id,
                role_id=holding.role_id,
                ends_on=data.ends_on,
            )
        )
        return await existing_holding(work.session, assignment_id)


async def get_holding(db: Database, assignment_id: str) -> RoleHolding:
    async with db.read() as session:
        return await existing_holding(session, assignment_id)


async def role_history(db: Database, role_id: str) -> list[RoleHolding]:
    """Everyone who has held the role, when they started and when they stopped."""
    async with db.read() as session:
        await existing_role(session, role_id)
        return await holding_queries.holdings_of_role(session, role_id)


async def member_roles(db: Database, member_id: str) -> list[RoleHolding]:
    """Every role a member has held, and holds."""
    async with db.read() as session:
        await existing_member(session, member_id)
        return await holding_queries.holdings_of_member(session, member_id)


async def current_holders(db: Database) -> list[RoleHolding]:
    """Every holding that covers today, by member's name and then role."""
    async with db.read() as session:
        found = await holding_queries.holdings_on(session, domain.today())
    return sorted(found, key=lambda h: (h.display_name.casefold(), h.role_title))
