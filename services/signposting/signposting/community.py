"""Community groups: organisations in the directory that can host the forum's pop-up forums.

Marking an organisation as a community group publishes `CommunityGroupRegistered`; a change of
name or areas publishes `CommunityGroupUpdated`; withdrawing publishes `CommunityGroupWithdrawn`.
`PopUpForumHeld` from the meetings service records when the forum last visited the group.
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import NotFound
from forum_shared.events import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn, PopUpForumHeld
from forum_shared.logs import get_logger
from signposting import directory, domain
from signposting.history import record_history
from signposting.forum_schemas import CommunityGroupCreate, CommunityGroupUpdate
from signposting.schemas import OrganizationCreate, OrganizationUpdate, PhoneCreate
from signposting.store import organization_areas, organizations, phones

log = get_logger("signposting.community")


async def register_community_group(session: AsyncSession, data: CommunityGroupCreate, by: str) -> dict:
    """Add a group to the directory as an organisation that can host pop-up forums."""
    org = OrganizationCreate(
        name=data.name,
        description=data.description,
        email=data.email,
        website=data.website,
        phones=[PhoneCreate(number=data.phone)] if data.phone else [],
    )
    org_id = await directory.save_organization(session, org, by)
    return await mark_community_group(session, org_id, data.areas, by)


async def mark_community_group(session: AsyncSession, org_id: str, areas: list[str], by: str) -> dict:
    row = await directory.organization_row(session, org_id)
    active = row.community_group and row.community_status == "active"
    before = await _areas(session, org_id)
    await _set_areas(session, org_id, areas)
    values = {"community_group": True, "community_status": "active", "last_modified": datetime.now(UTC)}
    if not active:
        values["registered_at"] = datetime.now(UTC)
    await session.execute(update(organizations).where(organizations.c.id == org_id).values(**values))
    if not active:
        await record_history(session, "organization", org_id, "update", by, {"community_group": (False, True)})
        await outbox.record(session, CommunityGroupRegistered(community_group_id=org_id, name=row.name, areas=areas))
    elif before != areas:
        await record_history(session, "organization", org_id, "update", by, {"areas": (before, areas)})
        await outbox.record(session, CommunityGroupUpdated(community_group_id=org_id, name=row.name, areas=areas))
    return await community_group(session, org_id)


async def update_community_group(session: AsyncSession, org_id: str, data: CommunityGroupUpdate, by: str) -> dict:
    row = await _active_group(session, org_id)
    given = data.model_dump(exclude_unset=True)
    org_fields = {k: v for k, v in given.items() if k in {"name", "description", "email", "website"}}
    if "phone" in given:
        org_fields["phones"] = [PhoneCreate(number=given["phone"])] if given["phone"] else []
    if org_fields:
        await directory.update_organization(session, org_id, OrganizationUpdate(**org_fields), by, announce=False)
    before = await _areas(session, org_id)
    areas = given.get("areas") or before
    if areas != before:
        await _set_areas(session, org_id, areas)
        await record_history(session, "organization", org_id, "update", by, {"areas": (before, areas)})
    name = given.get("name") or row.name
    if name != row.name or areas != before:
        await outbox.record(session, CommunityGroupUpdated(community_group_id=org_id, name=name, areas=areas))
    return await community_group(session, org_id)


async def withdraw_community_group(session: AsyncSession, org_id: str, by: str) -> dict:
    """The group can no longer host pop-up forums; it stays in the directory as an organisation."""
    await _active_group(session, org_id)
    await session.execute(
        update(organizations).where(organizations.c.id == org_id).values(community_status="withdrawn", last_modified=datetime.now(UTC))
    )
    await record_history(session, "organization", org_id, "update", by, {"community_group": (True, False)})
    await outbox.record(session, CommunityGroupWithdrawn(community_group_id=org_id))
    return await community_group(session, org_id)


async def record_pop_up_visit(session: AsyncSession, event: PopUpForumHeld) -> None:
    """The forum held a pop-up forum with the group: remember the latest visit."""
    row = (await session.execute(select(organizations).where(organizations.c.id == event.community_group_id))).first()
    if row is None or not row.community_group:
        # Not a group of this directory (another forum's, or long removed): nothing to update.
        log.info("pop-up forum for an unknown community group ignored", pop_up_id=event.pop_up_id)
        return
    values = {"pop_up_count": (row.pop_up_count or 0) + 1}
    if row.last_visited_on is None or event.held_on >= row.last_visited_on:
        values |= {"last_visited_on": event.held_on, "last_pop_up_id": event.pop_up_id}
    await session.execute(update(organizations).where(organizations.c.id == row.id).values(**values))


async def community_group(session: AsyncSession, org_id: str) -> dict:
    row = await directory.organization_row(session, org_id)
    if not row.community_group:
        raise NotFound(f"The organisation {org_id} is not a community group.")
    return (await _public(session, [row]))[0]


async def find_community_groups(session: AsyncSession, area: str | None = None, search: str | None = None) -> list[dict]:
    """Active community groups, optionally covering an area (district, town or postcode district)."""
    query = select(organizations).where(organizations.c.community_group.is_(True), organizations.c.community_status == "active")
    if area and area.strip():
        keys = domain.find_area(area).keys
        query = query.where(organizations.c.id.in_(
            select(organization_areas.c.organization_id).where(organization_areas.c.area_key.in_(keys))))
    for word in domain.words_of(search or ""):
        like = f"%{word}%"
        query = query.where(func.lower(organizations.c.name).like(like) | func.lower(func.coalesce(organizations.c.description, "")).like(like))
    rows = (await session.execute(query.order_by(organizations.c.name, organizations.c.id))).all()
    return await _public(session, rows)


async def _active_group(session: AsyncSession, org_id: str):
    row = (await session.execute(select(organizations).where(organizations.c.id == org_id))).first()
    if row is None or not row.community_group or row.community_status != "active":
        raise NotFound(f"There is no active community group with id {org_id}.")
    return row


async def _areas(session: AsyncSession, org_id: str) -> list[str]:
    rows = await session.execute(
        select(organization_areas.c.area).where(organization_areas.c.organization_id == org_id).order_by(organization_areas.c.area)
    )
    return list(rows.scalars())


async def _set_areas(session: AsyncSession, org_id: str, areas: list[str]) -> None:
    await session.execute(delete(organization_areas).where(organization_areas.c.organization_id == org_id))
    await session.execute(
        insert(organization_areas), [{"organization_id": org_id, "area": a, "area_key": domain.key(a)} for a in areas]
    )


async def _public(session: AsyncSession, rows) -> list[dict]:
    ids = [r.id for r in rows]
    areas: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}
    if ids:
        for org_id, area in await session.execute(
            select(organization_areas.c.organization_id, organization_areas.c.area).where(organization_areas.c.organization_id.in_(ids))
        ):
            areas.setdefault(org_id, []).append(area)
        for org_id, number in await session.execute(
            select(phones.c.organization_id, phones.c.number).where(phones.c.organization_id.in_(ids)).order_by(phones.c.id)
        ):
            numbers.setdefault(org_id, number)
    return [
        {
            "id": r.id, "name": r.name, "description": r.description, "areas": sorted(areas.get(r.id, [])),
            "email": r.email, "phone": numbers.get(r.id), "website": r.website,
            "status": r.community_status or "withdrawn", "registered_at": r.registered_at,
            "last_visited_on": r.last_visited_on, "pop_up_count": r.pop_up_count or 0,
        }
        for r in rows
    ]
