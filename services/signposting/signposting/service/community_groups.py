"""Community groups: organisations in the directory that can host the forum's pop-up forums.

Registering or marking a group publishes `CommunityGroupRegistered`; a change of its name or areas
publishes `CommunityGroupUpdated`; withdrawing it publishes `CommunityGroupWithdrawn` (it stays in
the directory as an organisation). Its listing, the service saying what it offers, follows each
of these (`service.group_listings`). `PopUpForumHeld` from the meetings service records the forum's
latest visit.
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.signposting import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
)
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import Work, unit_of_work
from signposting import domain
from signposting.domain import ChangeKind
from signposting.records import CommunityGroup, Organization
from signposting.schemas.community_groups import CommunityGroupCreate, CommunityGroupUpdate
from signposting.schemas.hsds import OrganizationCreate, OrganizationUpdate, PhoneCreate
from signposting.service import group_listings
from signposting.service.editor import Editor
from signposting.service.organizations import no_such_organization, save_organization, update_organization
from signposting.store import community_groups, directory
from signposting.store.changes import record_changes

log = get_logger("signposting.community_groups")
DETAILS = frozenset({"name", "description", "email", "website"})


def no_such_group(org_id: str) -> NotFound:
    return NotFound(f"There is no active community group with id {org_id}.")


async def _group(work: Work, org_id: str) -> CommunityGroup:
    found = await community_groups.community_group(work.session, org_id)
    if found is None:
        raise NotFound(f"The organisation {org_id} is not a community group.")
    return found


async def _active(work: Work, org_id: str) -> Organization:
    found = await directory.organization(work.session, org_id)
    if found is None or not found.is_active_group:
        raise no_such_group(org_id)
    return found


async def _mark(work: Work, org_id: str, areas: list[str], by: str) -> CommunityGroup:
    found = await directory.organization(work.session, org_id)
    if found is None:
        raise no_such_organization(org_id)
    before = await community_groups.areas_of(work.session, org_id)
    await community_groups.set_areas(work.session, org_id, areas)
    await community_groups.mark_active(work.session, org_id, registered_now=not found.is_active_group)
    if not found.is_active_group:
        await record_changes(
            work.session, "organization", org_id, ChangeKind.UPDATE, by, {"community_group": (False, True)}
        )
        await work.publish(CommunityGroupRegistered(community_group_id=org_id, name=found.name, areas=areas))
    elif before != areas:
        await record_changes(work.session, "organization", org_id, ChangeKind.UPDATE, by, {"areas": (before, areas)})
        await work.publish(CommunityGroupUpdated(community_group_id=org_id, name=found.name, areas=areas))
    await group_listings.keep_listing(work, org_id, by)
    return await _group(work, org_id)


async def register_community_group(db: Database, editor: Editor, data: CommunityGroupCreate) -> CommunityGroup:
    """Add a group to the directory as an organisation that can host pop-up forums."""
    async with unit_of_work(db, editor.user, "community_group.registered") as work:
        organization = OrganizationCreate(
            name=data.name,
            description=data.description or domain.community_group_description(data.name, data.areas),
            email=data.email,
            website=data.website,
            phones=[PhoneCreate(number=data.phone)] if data.phone else [],
        )
        org_id = await save_organization(work, organization, editor.name)
        work.audit("community_group.registered", f"organization:{org_id}")
        return await _mark(work, org_id, data.areas, editor.name)


async def mark_community_group(db: Database, editor: Editor, org_id: str, areas: list[str]) -> CommunityGroup:
    """Let an organisation already in the directory host pop-up forums (again), covering `areas`."""
    async with unit_of_work(db, editor.user, "community_group.registered", f"organization:{org_id}") as work:
        return await _mark(work, org_id, areas, editor.name)


async def change_community_group(
    db: Database, editor: Editor, org_id: str, data: CommunityGroupUpdate
) -> CommunityGroup:
    """Change the fields given of an active group; the forum hears of a new name or new areas once."""
    given = data.model_dump(exclude_unset=True)
    async with unit_of_work(
        db, editor.user, "community_group.changed", f"organization:{org_id}", {"fields": sorted(data.model_fields_set)}
    ) as work:
        found = await _active(work, org_id)
        details = {k: v for k, v in given.items() if k in DETAILS}
        if "phone" in given:
            details["phones"] = [PhoneCreate(number=given["phone"])] if given["phone"] else []
        if details:
            await update_organization(work, org_id, OrganizationUpdate(**details), editor.name, announce=False)
        before = await community_groups.areas_of(work.session, org_id)
        areas = given.get("areas") or before
        if areas != before:
            await community_groups.set_areas(work.session, org_id, areas)
            await record_changes(
                work.session, "organization", org_id, ChangeKind.UPDATE, editor.name, {"areas": (before, areas)}
            )
        name = given.get("name") or found.name
        if name != found.name or areas != before:
            await work.publish(CommunityGroupUpdated(community_group_id=org_id, name=name, areas=areas))
        await group_listings.keep_listing(work, org_id, editor.name)
        return await _group(work, org_id)


async def withdraw_community_group(db: Database, editor: Editor, org_id: str) -> CommunityGroup:
    """The group can no longer host pop-up forums; it stays in the directory as an organisation."""
    async with unit_of_work(db, editor.user, "community_group.withdrawn", f"organization:{org_id}") as work:
        await _active(work, org_id)
        await community_groups.mark_withdrawn(work.session, org_id)
        await record_changes(
            work.session, "organization", org_id, ChangeKind.UPDATE, editor.name, {"community_group": (True, False)}
        )
        await work.publish(CommunityGroupWithdrawn(community_group_id=org_id))
        await group_listings.keep_listing(work, org_id, editor.name)
        return await _group(work, org_id)


async def record_pop_up_visit(session: AsyncSession, event: PopUpForumHeld) -> None:
    """The forum held a pop-up forum with the group: count it, and remember the latest visit.
    Runs in the transaction of the event's inbox entry."""
    found = await directory.organization(session, event.community_group_id)
    if found is None or not found.community_group:
        # Not a group of this directory (another forum's, or long removed): nothing to update.
        log.info("pop-up forum for an unknown community group ignored", pop_up_id=event.pop_up_id)
        return
    await community_groups.record_visit(session, found, event.held_on, event.pop_up_id)


async def community_group(db: Database, org_id: str) -> CommunityGroup:
    """One community group (active or withdrawn), with the forum's visits; `NotFound` otherwise."""
    async with db.read() as session:
        found = await community_groups.community_group(session, org_id)
    if found is None:
        raise NotFound(f"The organisation {org_id} is not a community group.")
    return found


async def find_community_groups(
    db: Database, area: str | None = None, search: str | None = None
) -> list[CommunityGroup]:
    """Active community groups, by name: covering an area (district, town or postcode district),
    and holding every word of `search` in their name or description."""
    async with db.read() as session:
        return await community_groups.active_groups(session, area, search)
