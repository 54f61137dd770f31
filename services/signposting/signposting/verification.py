"""Verification: staff check a listing with its provider; one not verified for 12 months is stale."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import NotFound
from signposting import domain
from signposting.directory import organization_row
from signposting.history import record_history
from signposting.store import organizations, services


async def verify_service(session: AsyncSession, service_id: str, by: str, today: date | None = None) -> dict:
    """Staff checked the listing with the provider: it is current again."""
    today = today or datetime.now(UTC).date()
    row = (await session.execute(select(services).where(services.c.id == service_id))).first()
    if row is None:
        raise NotFound(f"There is no service with id {service_id} in the directory.")
    await session.execute(update(services).where(services.c.id == service_id).values(
        assured_date=today, verified_by=by, last_modified=datetime.now(UTC)))
    await record_history(session, "service", service_id, "verify", by, {"assured_date": (row.assured_date, today)})
    return listing("service", service_id, row.name, today, today)


async def verify_organization(session: AsyncSession, org_id: str, by: str, today: date | None = None) -> dict:
    today = today or datetime.now(UTC).date()
    row = await organization_row(session, org_id)
    await session.execute(update(organizations).where(organizations.c.id == org_id).values(verified_on=today, verified_by=by))
    await record_history(session, "organization", org_id, "verify", by, {"verified_on": (row.verified_on, today)})
    return listing("organization", org_id, row.name, today, today)


def listing(kind: str, listing_id: str, name: str, verified_on: date | None, today: date, added_on: date | None = None) -> dict:
    """A listing's verification state; one never verified counts from the day it was added."""
    return {"kind": kind, "id": listing_id, "name": name, "verified_on": verified_on,
            "stale": domain.is_stale(verified_on or added_on, today)}


async def stale_listings(session: AsyncSession, today: date | None = None) -> list[dict]:
    """Services and organisations nobody has verified for 12 months: they may be out of date."""
    today = today or datetime.now(UTC).date()
    cutoff = domain.stale_on_or_before(today)
    added_cutoff = datetime.combine(cutoff + timedelta(days=1), time.min, tzinfo=UTC)
    found = []
    for kind, table, column in (("service", services, services.c.assured_date), ("organization", organizations, organizations.c.verified_on)):
        rows = (await session.execute(
            select(table.c.id, table.c.name, table.c.created_at, column.label("verified_on"))
            .where(or_(column <= cutoff, and_(column.is_(None), table.c.created_at < added_cutoff)))
            .order_by(table.c.name, table.c.id)
        )).all()
        found += [listing(kind, r.id, r.name, r.verified_on, today, r.created_at.date()) for r in rows]
    return found
