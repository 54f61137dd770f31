"""Partner organisations and the members who represent them."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from membership.records import PartnerOrganisation, Representative
from membership.store.tables import members, organisations, representatives


async def name_in_use(session: AsyncSession, name_key: str) -> bool:
    found = await session.scalar(select(organisations.c.id).where(organisations.c.name_key == name_key))
    return found is not None


async def add_organisation(session: AsyncSession, details: dict[str, Any]) -> None:
    """Raises IntegrityError if the same name was registered at the same moment (it is unique)."""
    await session.execute(insert(organisations).values(**details))


async def get_organisation(session: AsyncSession, organisation_id: str) -> PartnerOrganisation | None:
    found = await _organisations(session, organisations.c.id == organisation_id)
    return found[0] if found else None


async def list_organisations(session: AsyncSession) -> list[PartnerOrganisation]:
    """By name."""
    return await _organisations(session)


async def represents(session: AsyncSession, organisation_id: str, member_id: str) -> bool:
    found = await session.scalar(
        select(representatives.c.member_id).where(
            representatives.c.organisation_id == organisation_id, representatives.c.member_id == member_id
        )
    )
    return found is not None


async def add_representative(
    session: AsyncSession, organisation_id: str, member_id: str, position: str | None, since: datetime
) -> None:
    await session.execute(
        insert(representatives).values(
            organisation_id=organisation_id, member_id=member_id, position=position, since=since
        )
    )


async def remove_representative(session: AsyncSession, organisation_id: str, member_id: str) -> None:
    await session.execute(
        delete(representatives).where(
            representatives.c.organisation_id == organisation_id, representatives.c.member_id == member_id
        )
    )


async def representing(session: AsyncSession, member_id: str) -> list[Representative]:
    """The organisations a member represents, by name."""
    found = await _representatives(session, representatives.c.member_id == member_id)
    return sorted(found, key=lambda r: r.organisation_name.casefold())


async def _organisations(session: AsyncSession, *where: Any) -> list[PartnerOrganisation]:
    rows = (await session.execute(select(organisations).where(*where).order_by(organisations.c.name_key))).all()
    reps: dict[str, list[Representative]] = {r.id: [] for r in rows}
    if reps:
        for rep in await _representatives(session, representatives.c.organisation_id.in_(list(reps))):
            reps[rep.organisation_id].append(rep)
    return [
        PartnerOrganisation(
            id=r.id,
            name=r.name,
            kind=r.kind,
            description=r.description,
            website=r.website,
            area=r.area,
            joined_at=r.joined_at,
            representatives=tuple(reps[r.id]),
        )
        for r in rows
    ]


async def _representatives(session: AsyncSession, *where: Any) -> list[Representative]:
    rows = await session.execute(
        select(representatives, members.c.display_name, organisations.c.name.label("organisation_name"))
        .join(members, members.c.id == representatives.c.member_id)
        .join(organisations, organisations.c.id == representatives.c.organisation_id)
        .where(*where)
        .order_by(representatives.c.since)
    )
    return [
        Representative(
            organisation_id=r.organisation_id,
            organisation_name=r.organisation_name,
            member_id=r.member_id,
            display_name=r.display_name,
            position=r.position,
            since=r.since,
        )
        for r in rows.all()
    ]

