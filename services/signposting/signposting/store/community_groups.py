"""Community groups: organisations of the directory that can host the forum's pop-up forums, the
areas each covers, their listings (the service saying what each offers), and the forum's visits."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from signposting import domain
from signposting.domain import CommunityGroupStatus
from signposting.records import CommunityGroup, Organization
from signposting.store.browse import organizations_matching
from signposting.store.detail_tables import phones
from signposting.store.directory import organization, organization_of
from signposting.store.tables import organization_areas, organizations, service_areas, services


async def areas_of(session: AsyncSession, organization_id: str) -> list[str]:
    rows = await session.execute(
        select(organization_areas.c.area).where(organization_areas.c.organization_id == organization_id)
        .order_by(organization_areas.c.area)
    )
    return list(rows.scalars())


async def set_areas(session: AsyncSession, organization_id: str, areas: list[str]) -> None:
    await session.execute(delete(organization_areas).where(organization_areas.c.organization_id == organization_id))
    await session.execute(
        insert(organization_areas),
        [{"organization_id": organization_id, "area": a, "area_key": domain.key(a)} for a in areas],
    )


async def mark_active(session: AsyncSession, organization_id: str, *, registered_now: bool) -> None:
    values: dict[str, object] = {
        "community_group": True,
        "community_status": CommunityGroupStatus.ACTIVE.value,
        "last_modified": datetime.now(UTC),
    }
    if registered_now:
        values["registered_at"] = values["last_modified"]
    await session.execute(update(organizations).where(organizations.c.id == organization_id).values(**values))


async def mark_withdrawn(session: AsyncSession, organization_id: str) -> None:
    await session.execute(
        update(organizations)
        .where(organizations.c.id == organization_id)
        .values(community_status=CommunityGroupStatus.WITHDRAWN.value, last_modified=datetime.now(UTC))
    )


async def write_listing(
    session: AsyncSession, organization_id: str, service_id: str, values: dict[str, object], areas: list[str],
    *, new: bool,
) -> None:
    """Insert or update a group's listing (its own fields and its service areas, nothing else
    under it) and remember it as the group's."""
    now = datetime.now(UTC)
    if new:
        await session.execute(
            insert(services).values(id=service_id, created_at=now, last_modified=now, search_text="", **values)
        )
        await session.execute(
            update(organizations).where(organizations.c.id == organization_id).values(group_service_id=service_id)
        )
    else:
        await session.execute(update(services).where(services.c.id == service_id).values(last_modified=now, **values))
        await session.execute(delete(service_areas).where(service_areas.c.service_id == service_id))
    if areas:
        await session.execute(
            insert(service_areas),
            [{"id": str(uuid.uuid4()), "service_id": service_id, "name": a, "area_key": domain.key(a)} for a in areas],
        )


async def record_visit(session: AsyncSession, group: Organization, held_on: date, pop_up_id: str) -> None:
    """Count a pop-up forum; the latest one held is the group's last visit, whatever order they
    are reported in."""
    values: dict[str, object] = {"pop_up_count": group.pop_up_count + 1}
    if group.last_visited_on is None or held_on >= group.last_visited_on:
        values |= {"last_visited_on": held_on, "last_pop_up_id": pop_up_id}
    await session.execute(update(organizations).where(organizations.c.id == group.id).values(**values))


async def community_group(session: AsyncSession, organization_id: str) -> CommunityGroup | None:
    """The organisation as a community group, or None if it is not (and never was) one."""
    found = await organization(session, organization_id)
    if found is None or not found.community_group:
        return None
    return (await _groups(session, [found]))[0]


async def active_groups(session: AsyncSession, area: str | None, search: str | None) -> list[CommunityGroup]:
    """Active community groups, by name: covering an area (by its keys) and holding every word."""
    query = select(organizations).where(
        organizations.c.community_group.is_(True), organizations.c.community_status == CommunityGroupStatus.ACTIVE.value
    )
    if area and area.strip():
        keys = domain.find_area(area).keys
        query = query.where(
            organizations.c.id.in_(
                select(organization_areas.c.organization_id).where(organization_areas.c.area_key.in_(keys))
            )
        )
    query = query.where(*organizations_matching(search)).order_by(organizations.c.name, organizations.c.id)
    rows = (await session.execute(query)).all()
    return await _groups(session, [organization_of(row) for row in rows])


async def _groups(session: AsyncSession, found: Sequence[Organization]) -> list[CommunityGroup]:
    ids = [o.id for o in found]
    areas: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}
    if ids:
        for org_id, area in await session.execute(
            select(organization_areas.c.organization_id, organization_areas.c.area).where(
                organization_areas.c.organization_id.in_(ids)
            )
        ):
            areas.setdefault(org_id, []).append(area)
        for org_id, number in await session.execute(
            select(phones.c.organization_id, phones.c.number)
            .where(phones.c.organization_id.in_(ids))
            .order_by(phones.c.id)
        ):
            numbers.setdefault(org_id, number)
    return [
        CommunityGroup(
            id=o.id,
            name=o.name,
            description=o.description,
            areas=sorted(areas.get(o.id, [])),
            email=o.email,
            phone=numbers.get(o.id),
            website=o.website,
            status=o.community_status or CommunityGroupStatus.WITHDRAWN,
            registered_at=o.registered_at,
            last_visited_on=o.last_visited_on,
            pop_up_count=o.pop_up_count,
            service_id=o.group_service_id,
        )
        for o in found
    ]
