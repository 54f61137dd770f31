"""Writing the directory: organisations, locations, services with everything under them, and
needs (taxonomies and their terms). Each function writes within the caller's transaction.

A "replace" removes the rows it owns and writes the new ones, so a list given replaces the list;
children are given as rows keyed by the HSDS field names.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Row, Table, delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from signposting import domain, map_squares
from signposting.domain import CommunityGroupStatus
from signposting.records import Organization
from signposting.store.detail_tables import (
    accessibility,
    addresses,
    contacts,
    cost_options,
    languages,
    locations,
    phones,
    schedules,
    service_at_locations,
)
from signposting.store.documents import CHUNK
from signposting.store.tables import (
    attributes,
    organizations,
    service_areas,
    services,
    taxonomies,
    taxonomy_terms,
)

Values = dict[str, Any]
# Tables whose ids a caller may give, by what they hold.
KINDS: dict[str, Table] = {
    "organisation": organizations, "location": locations, "service": services,
    "taxonomy": taxonomies, "taxonomy term": taxonomy_terms,
}


async def exists(session: AsyncSession, kind: str, record_id: str) -> bool:
    """Whether the directory holds a record of `kind` (a key of `KINDS`) with this id."""
    table = KINDS[kind]
    return bool(await session.scalar(select(table.c.id).where(table.c.id == record_id)))


async def known_ids(session: AsyncSession, kind: str, ids: Sequence[str]) -> set[str]:
    """Those of `ids` the directory holds as records of `kind`."""
    table = KINDS[kind]
    found: set[str] = set()
    wanted = list(dict.fromkeys(ids))
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        found |= set((await session.execute(select(table.c.id).where(table.c.id.in_(chunk)))).scalars())
    return found


# -- organisations ------------------------------------------------------------------------
async def organization(session: AsyncSession, organization_id: str) -> Organization | None:
    row = (await session.execute(select(organizations).where(organizations.c.id == organization_id))).first()
    return None if row is None else organization_of(row)


def organization_of(row: Row[Any]) -> Organization:
    return Organization(
        id=row.id, name=row.name, description=row.description, email=row.email, website=row.website,
        created_at=row.created_at, verified_on=row.verified_on, community_group=bool(row.community_group),
        community_status=CommunityGroupStatus(row.community_status) if row.community_status else None,
        registered_at=row.registered_at, last_visited_on=row.last_visited_on, last_pop_up_id=row.last_pop_up_id,
        pop_up_count=row.pop_up_count or 0, group_service_id=row.group_service_id,
    )


async def write_organization(session: AsyncSession, organization_id: str, values: Values, *, new: bool) -> None:
    """Insert (as an organisation that is not a community group) or update an organisation."""
    values = {**values, "last_modified": datetime.now(UTC)}
    if new:
        defaults = {"created_at": values["last_modified"], "pop_up_count": 0, "community_group": False}
        await session.execute(insert(organizations).values({"id": organization_id, **defaults, **values}))
    else:
        await session.execute(update(organizations).where(organizations.c.id == organization_id).values(**values))


async def replace_phones(session: AsyncSession, owner_column: str, owner_id: str, rows: list[Values]) -> None:
    """The phones of an organisation, service or location (not those of its contacts)."""
    await session.execute(delete(phones).where(phones.c[owner_column] == owner_id, phones.c.contact_id.is_(None)))
    if rows:
        await session.execute(insert(phones), [{**row, owner_column: owner_id} for row in rows])


async def service_ids_of_organization(session: AsyncSession, organization_id: str) -> list[str]:
    return list(
        (await session.execute(select(services.c.id).where(services.c.organization_id == organization_id))).scalars()
    )


# -- locations ----------------------------------------------------------------------------
async def write_location(
    session: AsyncSession, location_id: str, values: Values, children: dict[str, list[Values]], *, new: bool
) -> None:
    """Insert or update a location, replacing its `addresses`, `accessibility` and `languages`."""
    values = {**values, "last_modified": datetime.now(UTC)}
    if new:
        await session.execute(insert(locations).values(id=location_id, **values))
    else:
        await session.execute(update(locations).where(locations.c.id == location_id).values(**values))
    for table in (addresses, accessibility, languages):
        await session.execute(delete(table).where(table.c.location_id == location_id))
        rows = children.get(table.name, [])
        if rows:
            await session.execute(insert(table), [{**row, "location_id": location_id} for row in rows])


# -- needs --------------------------------------------------------------------------------
async def write_taxonomy(session: AsyncSession, taxonomy_id: str, values: Values, *, new: bool) -> None:
    if new:
        await session.execute(insert(taxonomies).values(id=taxonomy_id, **values))
    else:
        await session.execute(update(taxonomies).where(taxonomies.c.id == taxonomy_id).values(**values))


async def taxonomy_named(session: AsyncSession, name: str) -> str | None:
    """The id of the taxonomy of this name, if there is one."""
    return await session.scalar(select(taxonomies.c.id).where(taxonomies.c.name == name).limit(1))


async def write_term(session: AsyncSession, term_id: str, values: Values, *, new: bool) -> None:
    if new:
        await session.execute(insert(taxonomy_terms).values(id=term_id, **values))
    else:
        await session.execute(update(taxonomy_terms).where(taxonomy_terms.c.id == term_id).values(**values))


async def service_ids_with_term(session: AsyncSession, term_id: str) -> list[str]:
    query = select(attributes.c.link_id).where(
        attributes.c.taxonomy_term_id == term_id, attributes.c.link_entity == "service"
    )
    return list((await session.execute(query)).scalars())


async def term_names(session: AsyncSession) -> dict[str, str]:
    """Every need's name, by its id."""
    return {row.id: row.name for row in await session.execute(select(taxonomy_terms.c.id, taxonomy_terms.c.name))}


# -- services -----------------------------------------------------------------------------
SERVICE_CHILDREN = (
    schedules,
    service_areas,
    languages,
    cost_options,
    phones,
    contacts,
    service_at_locations,
    attributes,
)


async def write_service(session: AsyncSession, service_id: str, values: Values, *, new: bool) -> None:
    """Insert or update a service's own fields; an update first removes everything under it."""
    values = {**values, "last_modified": datetime.now(UTC)}
    if new:
        await session.execute(
            insert(services).values(id=service_id, created_at=values["last_modified"], search_text="", **values)
        )
        return
    await session.execute(update(services).where(services.c.id == service_id).values(**values))
    contact_ids = select(contacts.c.id).where(contacts.c.service_id == service_id)
    await session.execute(
        delete(phones).where(or_(phones.c.service_id == service_id, phones.c.contact_id.in_(contact_ids)))
    )
    for table in (schedules, service_areas, languages, cost_options, contacts, service_at_locations):
        await session.execute(delete(table).where(table.c.service_id == service_id))
    await session.execute(
        delete(attributes).where(attributes.c.link_entity == "service", attributes.c.link_id == service_id)
    )


async def insert_service_children(
    session: AsyncSession, rows: dict[str, list[Values]], contact_phones: list[Values]
) -> None:
    """Rows under a service, by table name (`schedules`, `contacts` …); contacts' phones after them."""
    links = rows.get(service_at_locations.name, [])
    rows = {**rows, service_at_locations.name: [{**link, "only_place": len(links) == 1} for link in links]}
    for table in SERVICE_CHILDREN:
        if rows.get(table.name):
            await session.execute(insert(table), rows[table.name])
    if contact_phones:
        await session.execute(insert(phones), contact_phones)


async def refresh_search_index(session: AsyncSession, service_ids: Sequence[str]) -> None:
    """What search looks in: the lower-case words of the name, description, organisation and
    needs (`search_text`), the needs and map squares of the places (`search_keys`), and the one
    place's vector, if there is one place with coordinates (`place_x` …)."""
    for start in range(0, len(service_ids), CHUNK):
        ids = list(service_ids[start : start + CHUNK])
        rows = (
            await session.execute(
                select(
                    services.c.id,
                    services.c.name,
                    services.c.alternate_name,
                    services.c.description,
                    services.c.eligibility_description,
                    organizations.c.name.label("org"),
                )
                .join(organizations, organizations.c.id == services.c.organization_id)
                .where(services.c.id.in_(ids))
            )
        ).all()
        terms = (
            await session.execute(
                select(attributes.c.link_id, taxonomy_terms.c.id, taxonomy_terms.c.name)
                .join(taxonomy_terms, taxonomy_terms.c.id == attributes.c.taxonomy_term_id)
                .where(attributes.c.link_entity == "service", attributes.c.link_id.in_(ids))
            )
        ).all()
        places = (
            await session.execute(
                select(service_at_locations.c.service_id, locations.c.geo_lat, locations.c.geo_lon)
                .join(locations, locations.c.id == service_at_locations.c.location_id)
                .where(service_at_locations.c.service_id.in_(ids), locations.c.geo_lat.is_not(None))
            )
        ).all()
        needs: dict[str, list[tuple[str, str]]] = {}
        for link_id, term_id, name in terms:
            needs.setdefault(link_id, []).append((term_id, name))
        located: dict[str, list[tuple[float, float]]] = {}
        for service_id, lat, lon in places:
            located.setdefault(service_id, []).append((lat, lon))
        for row in rows:
            its_needs = needs.get(row.id, [])
            parts = [
                row.name,
                row.alternate_name,
                row.description,
                row.eligibility_description,
                row.org,
                *(name for _, name in its_needs),
            ]
            text = " ".join(p for p in parts if p).lower()
            its_places = located.get(row.id, [])
            keys = map_squares.keys((term_id for term_id, _ in its_needs), its_places)
            x, y, z = domain.unit_vector(*its_places[0]) if len(its_places) == 1 else (None, None, None)
            await session.execute(
                update(services)
                .where(services.c.id == row.id)
                .values(search_text=text, search_keys=keys, place_x=x, place_y=y, place_z=z)
            )


async def service_ids_at_location(session: AsyncSession, location_id: str) -> list[str]:
    query = select(service_at_locations.c.service_id).where(service_at_locations.c.location_id == location_id)
    return list((await session.execute(query)).scalars())


async def service_names(session: AsyncSession, ids: Sequence[str]) -> dict[str, str]:
    """The names of those of `ids` still in the directory."""
    if not ids:
        return {}
    query = select(services.c.id, services.c.name).where(services.c.id.in_(list(ids)))
    return {row.id: row.name for row in await session.execute(query)}
