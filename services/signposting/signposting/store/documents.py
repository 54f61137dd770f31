"""The directory's rows as nested HSDS objects (Open Referral UK JSON).

Related rows are loaded in a few batched queries per page, never one query per object, and in
chunks, so a whole directory's export stays within every database's limit on bound values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from functools import cache
from typing import Any

from sqlalchemy import ColumnElement, Row, Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting.hsds import Document, hsds_object, hsds_value
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
from signposting.store.tables import (
    INTERNAL,
    attributes,
    organizations,
    service_areas,
    services,
    taxonomies,
    taxonomy_terms,
)

CHUNK = 500


def document(row: Row[Any], table: Table) -> Document:
    """A row as an HSDS object: none of the forum's internal columns, no empty fields."""
    own = {name: value for name, value in row._mapping.items() if name in table.c and name not in INTERNAL}
    return hsds_object(own)


def _public(row: Row[Any]) -> Document:
    """A row of `rows_in` (which reads no internal column) as an HSDS object."""
    return {name: hsds_value(value) for name, value in zip(row._fields, row, strict=True) if value is not None}


@cache
def public_columns(table: Table) -> list[ColumnElement[Any]]:
    """The columns of `table` that HSDS objects show (none of the forum's internal ones)."""
    return [c for c in table.c if c.name not in INTERNAL]


async def rows_in(
    session: AsyncSession, table: Table, column: str, ids: Iterable[str], *where: ColumnElement[bool]
) -> list[Row[Any]]:
    """The rows of `table` whose `column` is one of `ids`, with their public columns only."""
    wanted = list(dict.fromkeys(ids))
    found: list[Row[Any]] = []
    for start in range(0, len(wanted), CHUNK):
        query = select(*public_columns(table)).where(table.c[column].in_(wanted[start : start + CHUNK]), *where)
        found.extend((await session.execute(query)).all())
    return found


async def grouped(
    session: AsyncSession, table: Table, column: str, ids: Iterable[str], *where: ColumnElement[bool]
) -> dict[str, list[Document]]:
    out: dict[str, list[Document]] = defaultdict(list)
    for row in await rows_in(session, table, column, ids, *where):
        out[row._mapping[column]].append(_public(row))
    for items in out.values():
        items.sort(key=lambda item: item["id"])
    return out


async def organizations_brief(session: AsyncSession, ids: Iterable[str]) -> dict[str, Document]:
    return {row.id: _public(row) for row in await rows_in(session, organizations, "id", ids)}


async def terms_by_id(session: AsyncSession, ids: Iterable[str]) -> dict[str, Document]:
    return {row.id: _public(row) for row in await rows_in(session, taxonomy_terms, "id", ids)}


async def attributes_of(session: AsyncSession, entity: str, ids: Sequence[str]) -> dict[str, list[Document]]:
    links = await grouped(session, attributes, "link_id", ids, attributes.c.link_entity == entity)
    terms = await terms_by_id(session, (a["taxonomy_term_id"] for items in links.values() for a in items))
    for items in links.values():
        for item in items:
            item["taxonomy_term"] = terms[item["taxonomy_term_id"]]
    return links


async def services_brief(session: AsyncSession, ids: Sequence[str]) -> list[Document]:
    """Services as in a list (`service_list.json`): their own fields and their organisation, in
    the order of `ids` (those not found are left out)."""
    rows = {row.id: row for row in await rows_in(session, services, "id", ids)}
    orgs = await organizations_brief(session, (row.organization_id for row in rows.values()))
    out = []
    for service_id in ids:
        if service_id in rows:
            item = _public(rows[service_id])
            item["organization"] = orgs[item["organization_id"]]
            out.append(item)
    return out


async def locations_full(session: AsyncSession, ids: Sequence[str]) -> dict[str, Document]:
    """Locations (`location.json`) with their addresses, accessibility and languages, by id."""
    rows = await rows_in(session, locations, "id", ids)
    addr = await grouped(session, addresses, "location_id", ids)
    access = await grouped(session, accessibility, "location_id", ids)
    langs = await grouped(session, languages, "location_id", ids)
    out = {}
    for row in rows:
        item = _public(row)
        item["addresses"] = addr.get(row.id, [])
        item["accessibility"] = access.get(row.id, [])
        item["languages"] = langs.get(row.id, [])
        out[row.id] = item
    return out


async def services_full(session: AsyncSession, ids: Sequence[str]) -> list[Document]:
    """Fully nested services (`service.json`): organisation, locations, schedules, contacts …"""
    briefs = await services_brief(session, ids)
    found = [item["id"] for item in briefs]
    nested = {
        "schedules": await grouped(session, schedules, "service_id", found),
        "service_areas": await grouped(session, service_areas, "service_id", found),
        "languages": await grouped(session, languages, "service_id", found),
        "cost_options": await grouped(session, cost_options, "service_id", found),
        "phones": await grouped(session, phones, "service_id", found, phones.c.contact_id.is_(None)),
        "attributes": await attributes_of(session, "service", found),
    }
    service_contacts = await grouped(session, contacts, "service_id", found)
    contact_phones = await grouped(
        session, phones, "contact_id", [c["id"] for items in service_contacts.values() for c in items]
    )
    links = await grouped(session, service_at_locations, "service_id", found)
    places = await locations_full(session, [link["location_id"] for items in links.values() for link in items])
    for item in briefs:
        for field, by_service in nested.items():
            item[field] = by_service.get(item["id"], [])
        item["contacts"] = [
            {**contact, "phones": contact_phones.get(contact["id"], [])}
            for contact in service_contacts.get(item["id"], [])
        ]
        item["service_at_locations"] = [
            {**link, "location": places[link["location_id"]]} for link in links.get(item["id"], [])
        ]
    return briefs


async def service_at_locations_brief(session: AsyncSession, ids: Sequence[str]) -> list[Document]:
    """Services at their places as in a list (`service_at_location_list.json`): each link with its
    location's own fields and its service as in a list, in the order of `ids` (those not found are
    left out)."""
    found = await rows_in(session, service_at_locations, "id", ids)
    links = {row.id: _public(row) for row in found}
    where = await rows_in(session, locations, "id", [r.location_id for r in found])
    places = {row.id: _public(row) for row in where}
    offered = {item["id"]: item for item in await services_brief(session, [r.service_id for r in found])}
    return [
        {**links[i], "location": places[links[i]["location_id"]], "service": offered[links[i]["service_id"]]}
        for i in ids
        if i in links
    ]


async def service_at_location_full(session: AsyncSession, link_id: str) -> Document | None:
    """A service at one of its places, fully nested (`service_at_location.json`): the location with
    its addresses, accessibility and languages, and the service with everything under it; or None."""
    found = await rows_in(session, service_at_locations, "id", [link_id])
    if not found:
        return None
    link = _public(found[0])
    service = (await services_full(session, [link["service_id"]]))[0]
    service.pop("service_at_locations")
    place = (await locations_full(session, [link["location_id"]]))[link["location_id"]]
    return {**link, "location": place, "service": service}


async def organization_full(session: AsyncSession, organization_id: str, service_ids: Sequence[str]) -> Document | None:
    """An organisation (`organization.json`) with its phones and the services named, or None."""
    found = await organizations_brief(session, [organization_id])
    if organization_id not in found:
        return None
    item = found[organization_id]
    org_phones = await grouped(session, phones, "organization_id", [organization_id])
    item["phones"] = org_phones.get(organization_id, [])
    item["services"] = await services_brief(session, service_ids)
    for service in item["services"]:
        service.pop("organization", None)
    return item


async def taxonomies_of(session: AsyncSession, ids: Sequence[str]) -> list[Document]:
    rows = {row.id: _public(row) for row in await rows_in(session, taxonomies, "id", ids)}
    return [rows[i] for i in ids if i in rows]


async def terms_of(session: AsyncSession, ids: Sequence[str]) -> list[Document]:
    found = await terms_by_id(session, ids)
    return [found[i] for i in ids if i in found]


async def service_ids_of(session: AsyncSession, organization_id: str, *, active_only: bool = False) -> list[str]:
    """The services an organisation runs, by name."""
    query = select(services.c.id).where(services.c.organization_id == organization_id)
    if active_only:
        query = query.where(services.c.status == "active")
    return list((await session.execute(query.order_by(services.c.name))).scalars())
