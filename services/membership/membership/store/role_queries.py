"""Advertised involvement roles, read with what a given day makes of them."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.records import InvolvementRole
from membership.store.tables import assignments, roles


async def add_role(session: AsyncSession, details: dict[str, Any]) -> None:
    await session.execute(insert(roles).values(**details))


async def lock_role(session: AsyncSession, role_id: str) -> None:
    """Hold the role's row until the transaction ends (PostgreSQL; SQLite has one writer anyway), so
    two staff cannot fill its last place at the same moment."""
    await session.execute(select(roles.c.id).where(roles.c.id == role_id).with_for_update())


async def get_role(session: AsyncSession, role_id: str, today: date) -> InvolvementRole | None:
    found = await _roles(session, today, roles.c.id == role_id)
    return found[0] if found else None


async def list_roles(session: AsyncSession, today: date) -> list[InvolvementRole]:
    """Oldest first."""
    return await _roles(session, today)


async def _roles(session: AsyncSession, today: date, *where: Any) -> list[InvolvementRole]:
    rows = (await session.execute(select(roles).where(*where).order_by(roles.c.advertised_at))).all()
    spans: dict[str, list[tuple[date, date | None]]] = {r.id: [] for r in rows}
    if spans:
        held = await session.execute(
            select(assignments.c.role_id, assignments.c.starts_on, assignments.c.ends_on).where(
                assignments.c.role_id.in_(list(spans))
            )
        )
        for h in held.all():
            spans[h.role_id].append((h.starts_on, h.ends_on))
    return [
        InvolvementRole(
            id=r.id,
            title=r.title,
            description=r.description,
            hours_per_month_hundredths=r.hours_per_month_hundredths,
            paid=r.paid,
            hourly_rate_pence=r.hourly_rate_pence,
            vacancies=r.vacancies,
            vacancies_left=domain.places_left(r.vacancies, spans[r.id], today),
            closing_date=r.closing_date,
            open=domain.is_open(r.closing_date, today),
            advertised_at=r.advertised_at,
        )
        for r in rows
    ]
