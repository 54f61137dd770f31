"""The directory as Open Referral UK / HSDS 3.0 JSON: rows in, nested objects out.

Every object is built from its row by dropping empty and internal columns, so the JSON uses the
HSDS field names exactly. Related rows are loaded in a few batched queries per page, never one
query per object.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting.store import (
    INTERNAL,
    accessibility,
    addresses,
    attributes,
    contacts,
    cost_options,
    languages,
    locations,
    organizations,
    phones,
    schedules,
    service_areas,
    service_at_locations,
    services,
    taxonomies,
    taxonomy_terms,
)

CHUNK = 500
# HSDS requires these as text even when a record has none.
REQUIRED_TEXT = {"organizations": ("description",), "taxonomies": ("description",), "taxonomy_terms": ("description",)}


def timestamp(value: datetime) -> str:
    """HSDS `last_modified`: UTC with millisecond accuracy, e.g. 2026-11-27T09:30:00.123Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def clean(row: Any, table: Table) -> dict:
    """A row as an HSDS object: no internal columns, no empty fields, dates as text."""
    out: dict[str, Any] = {}
    for name, value in row._mapping.items():
        if name in INTERNAL or value is None or name not in table.c:
            continue
        if isinstance(value, datetime):
            value = timestamp(value)
        elif isinstance(value, date):
            value = value.isoformat()
        elif isinstance(value, float) and value.is_integer():
            value = int(value)
        out[name] = value
    for name in REQUIRED_TEXT.get(table.name, ()):
        out.setdefault(name, "")
    return out


async def rows_in(session: AsyncSession, table: Table, column: str, ids: Iterable[str], *where) -> list:
    ids = list(dict.fromkeys(ids))
    found: list = []
    for start in range(0, len(ids), CHUNK):
        query = select(table).where(table.c[column].in_(ids[start : start + CHUNK]), *where)
        found.extend((await session.execute(query)).all())
    return found


async def grouped(session: AsyncSession, table: Table, column: str, ids: Iterable[str], *where) -> dict[str, list[dict]]:
    out: dict[str, list[dict]] = defaultdict(list)
    for row in await rows_in(session, table, column, ids, *where):
        out[row._mapping[column]].append(clean(row, table))
    for items in out.values():
        items.sort(key=lambda item: item["id"])
    return out


async def organizations_brief(session: AsyncSession, ids: Iterable[str]) -> dict[str, dict]:
    return {row.id: clean(row, organizations) for row in await rows_in(session, organizations, "id", ids)}


async def terms_by_id(session: AsyncSession, ids: Iterable[str]) -> dict[str, dict]:
    return {row.id: clean(row, taxonomy_terms) for row in await rows_in(session, taxonomy_terms, "id", ids)}


async def attributes_of(session: AsyncSession, entity: str, ids: Sequence[str]) -> dict[str, list[dict]]:
    links = await grouped(session, attributes, "link_id", ids, attributes.c.link_entity == entity)
    terms = await terms_by_id(session, (a["taxonomy_term_id"] for items in links.values() for a in items))
    for items in links.values():
        for item in items:
            item["taxonomy_term"] = terms[item["taxonomy_term_id"]]
    return links


async def services_brief(session: AsyncSession, ids: Sequence[str]) -> list[dict]:
    """Services as in a list (`service_list.json`): their own fields and their organisation."""
    rows = {row.id: row for row in await rows_in(session, services, "id", ids)}
    orgs = await organizations_brief(session, (row.organization_id for row in rows.values()))
    out = []
    for service_id in ids:
        if service_id in rows:
            item = clean(rows[service_id], services)
            item["organization"] = orgs[item["organization_id"]]
            out.append(item)
    return out


async def locations_full(session: AsyncSession, ids: Sequence[str]) -> dict[str, dict]:
    rows = await rows_in(session, locations, "id", ids)
    addr = await grouped(session, addresses, "location_id", ids)
    access = await grouped(session, accessibility, "location_id", ids)
    langs = await grouped(session, languages, "location_id", ids)
    out = {}
    for row in rows:
        item = clean(row, locations)
        item["addresses"] = addr.get(row.id, [])
        item["accessibility"] = access.get(row.id, [])
        item["languages"] = langs.get(row.id, [])
        out[row.id] = item
    return out


async def services_full(session: AsyncSession, ids: Sequence[str]) -> list[dict]:
    """Fully nested services (`service.json`): organisation, locations, schedules, contacts …"""
    briefs = await services_brief(session, ids)
    ids = [item["id"] for item in briefs]
    nested = {
        "schedules": await grouped(session, schedules, "service_id", ids),
        "service_areas": await grouped(session, service_areas, "service_id", ids),
        "languages": await grouped(session, languages, "service_id", ids),
        "cost_options": await grouped(session, cost_options, "service_id", ids),
        "phones": await grouped(session, phones, "service_id", ids, phones.c.contact_id.is_(None)),
        "attributes": await attributes_of(session, "service", ids),
    }
    service_contacts = await grouped(session, contacts, "service_id", ids)
    contact_phones = await grouped(
        session, phones, "contact_id", [c["id"] for items in service_contacts.values() for c in items]
    )
    links = await grouped(session, service_at_locations, "service_id", ids)
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


async def organization_full(session: AsyncSession, organization_id: str, service_ids: Sequence[str]) -> dict | None:
    """An organisation (`organization.json`) with its phones and its services."""
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


async def taxonomies_of(session: AsyncSession, ids: Sequence[str]) -> list[dict]:
    rows = {row.id: clean(row, taxonomies) for row in await rows_in(session, taxonomies, "id", ids)}
    return [rows[i] for i in ids if i in rows]


async def terms_of(session: AsyncSession, ids: Sequence[str]) -> list[dict]:
    found = await terms_by_id(session, ids)
    return [found[i] for i in ids if i in found]
