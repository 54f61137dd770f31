"""Involvement roles: advertised for members to express interest in, read by anyone."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.events import InvolvementRoleAdvertised
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.records import InvolvementRole
from membership.schemas import RoleCreate
from membership.store import role_queries


async def existing_role(session: AsyncSession, role_id: str) -> InvolvementRole:
    role = await role_queries.get_role(session, role_id, domain.today())
    if role is None:
        raise NotFound(f"There is no involvement role with id {role_id}.")
    return role


async def advertise_role(db: Database, actor: Principal, data: RoleCreate) -> InvolvementRole:
    """Staff advertise a role; other services hear of it (InvolvementRoleAdvertised)."""
    async with unit_of_work(db, actor) as work:
        role_id = str(uuid.uuid4())
        await role_queries.add_role(
            work.session,
            {
                "id": role_id,
                "title": data.title,
                "description": data.description,
                "hours_per_month_hundredths": domain.to_hundredths(data.hours_per_month),
                "paid": data.paid,
                "hourly_rate_pence": domain.pence_of(data.hourly_rate) if data.hourly_rate else 0,
                "vacancies": data.vacancies,
                "closing_date": data.closing_date,
                "advertised_at": datetime.now(UTC),
            },
        )
        await work.publish(
            InvolvementRoleAdvertised(
                role_id=role_id, title=data.title, paid=data.paid, closing_date=data.closing_date
            )
        )
        work.audit("role.advertised", f"role:{role_id}")
        return await existing_role(work.session, role_id)


async def get_role(db: Database, role_id: str) -> InvolvementRole:
    async with db.read() as session:
        return await existing_role(session, role_id)


async def list_roles(db: Database, *, open_only: bool = False) -> list[InvolvementRole]:
    """Roles oldest first; or only those still taking interest."""
    async with db.read() as session:
        found = await role_queries.list_roles(session, domain.today())
    return [r for r in found if r.open] if open_only else found
