"""Partner organisations (the trust, a charity, a community group) and the members who represent
them at the forum."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import PartnerOrganisationJoined
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership.records import PartnerOrganisation
from membership.schemas import OrganisationCreate, RepresentativeCreate
from membership.service.members import active_member
from membership.store import organisation_queries


async def existing_organisation(session: AsyncSession, organisation_id: str) -> PartnerOrganisation:
    organisation = await organisation_queries.get_organisation(session, organisation_id)
    if organisation is None:
        raise NotFound(f"There is no partner organisation with id {organisation_id}.")
    return organisation


async def register_organisation(db: Database, actor: Principal, data: OrganisationCreate) -> PartnerOrganisation:
    """A partner organisation joins the forum, once by its name in any case; other services hear of
    it (PartnerOrganisationJoined)."""
    already = f"{data.name} is already a partner organisation. Nothing has been changed."
    async with unit_of_work(db, actor) as work:
        key = data.name.casefold()
        if await organisation_queries.name_in_use(work.session, key):
            raise Conflict(already)
        organisation_id = str(uuid.uuid4())
        details = {
            **data.model_dump(mode="json"),
            "id": organisation_id,
            "name_key": key,
            "joined_at": datetime.now(UTC),
        }
        try:
            await organisation_queries.add_organisation(work.session, details)
        except IntegrityError as exc:  # the same name registered at the same moment
            raise Conflict(already) from exc
        await work.publish(
            PartnerOrganisationJoined(organisation_id=organisation_id, name=data.name, kind=data.kind)
        )
        work.audit("organisation.registered", f"organisation:{organisation_id}")
        return await existing_organisation(work.session, organisation_id)


async def add_representative(
    db: Database, actor: Principal, organisation_id: str, data: RepresentativeCreate
) -> PartnerOrganisation:
    """A current member represents a partner organisation at the forum."""
    async with unit_of_work(
        db, actor, "organisation.representative_added", f"organisation:{organisation_id}",
        {"member_id": data.member_id},
    ) as work:
        await existing_organisation(work.session, organisation_id)
        member = await active_member(work.session, data.member_id)
        if await organisation_queries.represents(work.session, organisation_id, data.member_id):
            raise Conflict(f"{member.display_name} already represents this organisation. Nothing has been changed.")
        await organisation_queries.add_representative(
            work.session, organisation_id, data.member_id, data.position, datetime.now(UTC)
        )
        return await existing_organisation(work.session, organisation_id)


async def remove_representative(
    db: Database, actor: Principal, organisation_id: str, member_id: str
) -> PartnerOrganisation:
    """A member no longer represents the organisation."""
    async with unit_of_work(
        db, actor, "organisation.representative_removed", f"organisation:{organisation_id}",
        {"member_id": member_id},
    ) as work:
        await existing_organisation(work.session, organisation_id)
        if not await organisation_queries.represents(work.session, organisation_id, member_id):
            raise NotFound("That member does not represent this organisation.")
        await organisation_queries.remove_representative(work.session, organisation_id, member_id)
        return await existing_organisation(work.session, organisation_id)


async def get_organisation(db: Database, organisation_id: str) -> PartnerOrganisation:
    async with db.read() as session:
        return await existing_organisation(session, organisation_id)


async def list_organisations(db: Database) -> list[PartnerOrganisation]:
    """Partner organisations by name, each with who represents them."""
    async with db.read() as session:
        return await organisation_queries.list_organisations(session)
