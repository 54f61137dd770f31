"""Use cases about partner organisations and the members who represent them."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import PartnerOrganisationJoined
from membership import service
from membership.schemas import OrganisationCreate, RepresentativeCreate
from membership.store import members, organisations, representatives


async def register_organisation(session: AsyncSession, data: OrganisationCreate) -> dict:
    """A partner organisation (the trust, a charity, a community group) joins the forum."""
    key = data.name.casefold()
    if await session.scalar(select(organisations.c.id).where(organisations.c.name_key == key)):
        raise Conflict(f"{data.name} is already a partner organisation. Nothing has been changed.")
    row = {
        **data.model_dump(),
        "website": str(data.website) if data.website else None,
        "id": str(uuid.uuid4()),
        "name_key": key,
        "joined_at": datetime.now(UTC),
    }
    try:
        await session.execute(insert(organisations).values(**row))
    except IntegrityError as exc:
        raise Conflict(f"{data.name} is already a partner organisation. Nothing has been changed.") from exc
    await outbox.record(
        session, PartnerOrganisationJoined(organisation_id=row["id"], name=row["name"], kind=row["kind"])
    )
    return await get_organisation(session, row["id"])


async def get_organisation(session: AsyncSession, organisation_id: str) -> dict:
    row = (await session.execute(select(organisations).where(organisations.c.id == organisation_id))).first()
    if row is None:
        raise NotFound(f"There is no partner organisation with id {organisation_id}.")
    return {
        **row._mapping,
        "representatives": (await _representatives(session, [organisation_id]))[organisation_id],
    }


async def list_organisations(session: AsyncSession) -> list[dict]:
    rows = (await session.execute(select(organisations).order_by(organisations.c.name_key))).all()
    reps = await _representatives(session, [r.id for r in rows])
    return [{**r._mapping, "representatives": reps[r.id]} for r in rows]


async def add_representative(session: AsyncSession, organisation_id: str, data: RepresentativeCreate) -> dict:
    """A member represents a partner organisation at the forum."""
    await get_organisation(session, organisation_id)
    member = await service.active_member(session, data.member_id)
    exists = await session.scalar(
        select(representatives.c.member_id).where(
            representatives.c.organisation_id == organisation_id,
            representatives.c.member_id == data.member_id,
        )
    )
    if exists:
        raise Conflict(
            f"{member['display_name']} already represents this organisation. Nothing has been changed."
        )
    await session.execute(
        insert(representatives).values(
            organisation_id=organisation_id,
            member_id=data.member_id,
            position=data.position,
            since=datetime.now(UTC),
        )
    )
    return await get_organisation(session, organisation_id)


async def remove_representative(session: AsyncSession, organisation_id: str, member_id: str) -> dict:
    await get_organisation(session, organisation_id)
    result = await session.execute(
        delete(representatives).where(
            representatives.c.organisation_id == organisation_id, representatives.c.member_id == member_id
        )
    )
    if result.rowcount == 0:
        raise NotFound("That member does not represent this organisation.")
    return await get_organisation(session, organisation_id)


async def _representatives(session: AsyncSession, organisation_ids: list[str]) -> dict[str, list[dict]]:
    found: dict[str, list[dict]] = {o: [] for o in organisation_ids}
    if not organisation_ids:
        return found
    rows = await session.execute(
        select(representatives, members.c.display_name)
        .join(members, members.c.id == representatives.c.member_id)
        .where(representatives.c.organisation_id.in_(organisation_ids))
        .order_by(representatives.c.since)
    )
    for row in rows.all():
        found[row.organisation_id].append(dict(row._mapping))
    return found
