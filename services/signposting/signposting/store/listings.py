"""Listings checked with their providers: when each service and organisation was last verified."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import and_, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from signposting import domain
from signposting.domain import ListingKind
from signposting.records import Listing
from signposting.store.tables import organizations, services


async def service_check(session: AsyncSession, service_id: str) -> tuple[str, date | None] | None:
    """A service's name and when it was last checked, or None if there is no such service."""
    row = (
        await session.execute(select(services.c.name, services.c.assured_date).where(services.c.id == service_id))
    ).first()
    return None if row is None else (row.name, row.assured_date)


async def mark_service_checked(session: AsyncSession, service_id: str, on: date, by: str) -> None:
    await session.execute(
        update(services)
        .where(services.c.id == service_id)
        .values(assured_date=on, verified_by=by, last_modified=datetime.now(UTC))
    )


async def mark_organization_checked(session: AsyncSession, organization_id: str, on: date, by: str) -> None:
    await session.execute(
        update(organizations).where(organizations.c.id == organization_id).values(verified_on=on, verified_by=by)
    )


async def stale_listings(session: AsyncSession, today: date) -> list[Listing]:
    """Services and organisations nobody has checked for 12 months (never checked: added 12 months
    ago or more), services first, each by name."""
    cutoff = domain.stale_on_or_before(today)
    added_cutoff = datetime.combine(cutoff + timedelta(days=1), time.min, tzinfo=UTC)
    found: list[Listing] = []
    for kind, table, column in (
        (ListingKind.SERVICE, services, services.c.assured_date),
        (ListingKind.ORGANIZATION, organizations, organizations.c.verified_on),
    ):
        rows = await session.execute(
            select(table.c.id, table.c.name, table.c.created_at, column.label("verified_on"))
            .where(or_(column <= cutoff, and_(column.is_(None), table.c.created_at < added_cutoff)))
            .order_by(table.c.name, table.c.id)
        )
        found += [
            Listing(
                kind,
                row.id,
                row.name,
                row.verified_on,
                domain.is_stale(row.verified_on or row.created_at.date(), today),
            )
            for row in rows
        ]
    return found
