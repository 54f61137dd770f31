"""Staff keep the directory: organisations, locations, services and needs (taxonomy terms).

Every save runs inside the caller's transaction, keeps a history row per changed field (who, when,
what) and refreshes the words search looks in. Imports use these same functions, so a feed and a
member of staff are held to the same rules.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Invalid, NotFound
from forum_shared.events import CommunityGroupUpdated
from signposting import domain, hsds
from signposting.history import changes_between, record_history
from signposting.schemas import (
    LocationCreate,
    LocationUpdate,
    OrganizationCreate,
    OrganizationUpdate,
    PhoneCreate,
    ServiceCreate,
    ServiceUpdate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.store import (
    accessibility,
    addresses,
    attributes,
    contacts,
    cost_options,
    languages,
    locations,
    organization_areas,
    organizations,
    phones,
    schedules,
    service_areas,
    service_at_locations,
    services,
    taxonomies,
    taxonomy_terms,
)

def new_id(given: uuid.UUID | None = None) -> str:
    return str(given or uuid.uuid4())


def _plain(model, *, exclude: set[str] = frozenset()) -> dict[str, Any]:
    values = model.model_dump(exclude=exclude | {"id"}, mode="python")
    return {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in values.items()}


# -- organisations ------------------------------------------------------------------------
async def organization_row(session: AsyncSession, organization_id: str) -> Any:
    row = (await session.execute(select(organizations).where(organizations.c.id == organization_id))).first()
    if row is None:
        raise NotFound(f"There is no organisation with id {organization_id} in the directory.")
    return row


async def _organization_doc(session: AsyncSession, organization_id: str) -> dict | None:
    return await hsds.organization_full(session, organization_id, [])


async def save_organization(
    session: AsyncSession, data: OrganizationCreate, by: str, *, announce: bool = True, **internal: Any
) -> str:
    """Create an organisation, or replace it if its id is already in the directory."""
    org_id = new_id(data.id)
    before = await _organization_doc(session, org_id)
    values = {**_plain(data, exclude={"phones"}), "last_modified": datetime.now(UTC)}
    if before is None:
        defaults = {"created_at": values["last_modified"], "pop_up_count": 0, "community_group": False}
        await session.execute(insert(organizations).values({"id": org_id, **defaults, **values, **internal}))
    else:
        await session.execute(update(organizations).where(organizations.c.id == org_id).values(**values, **internal))
    await _replace_phones(session, data.phones, organization_id=org_id)
    after = await _organization_doc(session, org_id)
    changes = changes_between(before, after)
    await record_history(session, "organization", org_id, "create" if before is None else "update", by, changes)
    if before is not None and "name" in changes:
        await _refresh_services_of(session, org_id)
        if announce:
            await announce_community_group_change(session, org_id)
    return org_id


async def update_organization(
    session: AsyncSession, org_id: str, patch: OrganizationUpdate, by: str, *, announce: bool = True
) -> str:
    current = await _organization_doc(session, org_id)
    if current is None:
        raise NotFound(f"There is no organisation with id {org_id} in the directory.")
    merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": org_id}
    return await save_organization(session, _validated(OrganizationCreate, merged), by, announce=announce)


async def announce_community_group_change(session: AsyncSession, org_id: str) -> None:
    row = await organization_row(session, org_id)
    if row.community_group and row.community_status == "active":
        areas = (await session.execute(
            select(organization_areas.c.area).where(organization_areas.c.organization_id == org_id).order_by(organization_areas.c.area)
        )).scalars().all()
        await outbox.record(session, CommunityGroupUpdated(community_group_id=org_id, name=row.name, areas=list(areas)))


async def _replace_phones(session: AsyncSession, items: list[PhoneCreate], **owner: str) -> None:
    (column, owner_id), = owner.items()
    await session.execute(delete(phones).where(phones.c[column] == owner_id, phones.c.contact_id.is_(None)))
    if items:
        await session.execute(insert(phones), [{"id": new_id(p.id), column: owner_id, **_plain(p)} for p in items])


def _validated(model, values: dict):
    from pydantic import ValidationError

    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise Invalid(f"{where}: {first['msg']}") from None


# -- locations ----------------------------------------------------------------------------
async def save_location(session: AsyncSession, data: LocationCreate, by: str) -> str:
    """Create a location, or replace it if its id is already in the directory."""
    loc_id = new_id(data.id)
    before = (await hsds.locations_full(session, [loc_id])).get(loc_id)
    if data.organization_id and not await session.scalar(select(organizations.c.id).where(organizations.c.id == str(data.organization_id))):
        raise Invalid(f"There is no organisation with id {data.organization_id}: add the organisation first.")
    values = {**_plain(data, exclude={"addresses", "accessibility", "languages"}), **_where(data), "last_modified": datetime.now(UTC)}
    if before is None:
        await session.execute(insert(locations).values(id=loc_id, **values))
    else:
        await session.execute(update(locations).where(locations.c.id == loc_id).values(**values))
    for table, items in ((addresses, data.addresses), (accessibility, data.accessibility), (languages, data.languages)):
        await session.execute(delete(table).where(table.c.location_id == loc_id))
        if items:
            await session.execute(insert(table), [{"id": new_id(i.id), "location_id": loc_id, **_plain(i)} for i in items])
    after = (await hsds.locations_full(session, [loc_id]))[loc_id]
    await record_history(session, "location", loc_id, "create" if before is None else "update", by, changes_between(before, after))
    return loc_id


def _where(data: LocationCreate) -> dict[str, Any]:
    """Postcode district and coordinates for search; the district's centre if none are given."""
    code = None
    for address in sorted(data.addresses, key=lambda a: a.address_type != "physical"):
        try:
            code = domain.outward_code_of(address.postal_code)
            break
        except ValueError:
            continue
    known = domain.outward_codes().get(code) if code else None
    if data.latitude is not None and data.longitude is not None:
        lat, lon = data.latitude, data.longitude
    elif known:
        lat, lon = known.latitude, known.longitude
    else:
        lat = lon = None
    return {"outward_code": code, "district": known.district if known else None, "geo_lat": lat, "geo_lon": lon}


async def update_location(session: AsyncSession, loc_id: str, patch: LocationUpdate, by: str) -> str:
    current = (await hsds.locations_full(session, [loc_id])).get(loc_id)
    if current is None:
        raise NotFound(f"There is no location with id {loc_id} in the directory.")
    merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": loc_id}
    return await save_location(session, _validated(LocationCreate, merged), by)


# -- taxonomies ---------------------------------------------------------------------------
async def save_taxonomy(session: AsyncSession, data: TaxonomyCreate, by: str) -> str:
    tax_id = new_id(data.id)
    before = (await hsds.taxonomies_of(session, [tax_id]) or [None])[0]
    values = _plain(data)
    if before is None:
        await session.execute(insert(taxonomies).values(id=tax_id, **values))
    else:
        await session.execute(update(taxonomies).where(taxonomies.c.id == tax_id).values(**values))
    after = (await hsds.taxonomies_of(session, [tax_id]))[0]
    await record_history(session, "taxonomy", tax_id, "create" if before is None else "update", by, changes_between(before, after))
    return tax_id


async def save_taxonomy_term(session: AsyncSession, data: TaxonomyTermCreate, by: str) -> str:
    term_id = new_id(data.id)
    before = (await hsds.terms_of(session, [term_id]) or [None])[0]
    values = _plain(data)
    if data.taxonomy_id is not None:
        found = await hsds.taxonomies_of(session, [str(data.taxonomy_id)])
        if not found:
            raise Invalid(f"There is no taxonomy with id {data.taxonomy_id}: add the taxonomy first.")
        values["taxonomy"] = values.get("taxonomy") or found[0]["name"]
    if before is None:
        await session.execute(insert(taxonomy_terms).values(id=term_id, **values))
    else:
        await session.execute(update(taxonomy_terms).where(taxonomy_terms.c.id == term_id).values(**values))
    after = (await hsds.terms_of(session, [term_id]))[0]
    changes = changes_between(before, after)
    await record_history(session, "taxonomy_term", term_id, "create" if before is None else "update", by, changes)
    if before is not None and "name" in changes:
        linked = (await session.execute(select(attributes.c.link_id).where(
            attributes.c.taxonomy_term_id == term_id, attributes.c.link_entity == "service"))).scalars().all()
        await refresh_search_text(session, linked)
    return term_id


# -- services -----------------------------------------------------------------------------
async def save_service(session: AsyncSession, data: ServiceCreate, by: str, *, compare: bool = True) -> str:
    """Create a service, or replace it (and its schedules, areas, contacts …) if its id exists."""
    service_id = new_id(data.id)
    exists = await session.scalar(select(services.c.id).where(services.c.id == service_id))
    before = (await hsds.services_full(session, [service_id]))[0] if exists and compare else None
    org_id = str(data.organization_id) if data.organization_id else new_id(data.organization.id)
    if data.organization is not None:
        await save_organization(session, data.organization.model_copy(update={"id": uuid.UUID(org_id)}), by)
    elif not await session.scalar(select(organizations.c.id).where(organizations.c.id == org_id)):
        raise Invalid(f"There is no organisation with id {org_id}: add the organisation first.")
    now = datetime.now(UTC)
    values = {**_plain(data, exclude=_SERVICE_LISTS | {"organization", "organization_id"}), "organization_id": org_id, "last_modified": now}
    if exists:
        await session.execute(update(services).where(services.c.id == service_id).values(**values))
        await _clear_service_children(session, service_id)
    else:
        await session.execute(insert(services).values(id=service_id, created_at=now, search_text="", **values))
    await _insert_service_children(session, service_id, data, by)
    await refresh_search_text(session, [service_id])
    if not exists:
        await record_history(session, "service", service_id, "create", by, changes_between(None, {"name": data.name}))
    elif compare:
        after = (await hsds.services_full(session, [service_id]))[0]
        await record_history(session, "service", service_id, "update", by, changes_between(before, after))
    return service_id


_SERVICE_LISTS = {
    "taxonomy_term_ids", "attributes", "schedules", "service_areas", "languages", "contacts", "phones",
    "cost_options", "service_at_locations",
}


async def update_service(session: AsyncSession, service_id: str, patch: ServiceUpdate, by: str) -> str:
    found = await hsds.services_full(session, [service_id])
    if not found:
        raise NotFound(f"There is no service with id {service_id} in the directory.")
    current = found[0]
    current.pop("organization", None)
    current["taxonomy_term_ids"] = [a["taxonomy_term_id"] for a in current.pop("attributes", [])]
    current["service_at_locations"] = [
        {k: v for k, v in link.items() if k != "location"} for link in current["service_at_locations"]
    ]
    merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": service_id}
    return await save_service(session, _validated(ServiceCreate, merged), by)


async def _clear_service_children(session: AsyncSession, service_id: str) -> None:
    contact_ids = select(contacts.c.id).where(contacts.c.service_id == service_id)
    await session.execute(delete(phones).where(or_(phones.c.service_id == service_id, phones.c.contact_id.in_(contact_ids))))
    for table in (schedules, service_areas, languages, cost_options, contacts, service_at_locations):
        await session.execute(delete(table).where(table.c.service_id == service_id))
    await session.execute(delete(attributes).where(attributes.c.link_entity == "service", attributes.c.link_id == service_id))


async def _insert_service_children(session: AsyncSession, service_id: str, data: ServiceCreate, by: str) -> None:
    owned = {"service_id": service_id}
    rows: dict = {
        schedules: [{"id": new_id(s.id), **_plain(s), **owned} for s in data.schedules],
        service_areas: [{"id": new_id(a.id), **_plain(a), **owned, "area_key": domain.key(a.name)} for a in data.service_areas],
        languages: [{"id": new_id(lang.id), **_plain(lang), **owned} for lang in data.languages],
        cost_options: [{"id": new_id(c.id), **_plain(c), **owned} for c in data.cost_options],
        phones: [{"id": new_id(p.id), **_plain(p), **owned} for p in data.phones],
        contacts: [],
    }
    contact_phones = []
    for contact in data.contacts:
        contact_id = new_id(contact.id)
        rows[contacts].append({"id": contact_id, **_plain(contact, exclude={"phones"}), **owned})
        contact_phones += [{"id": new_id(p.id), "contact_id": contact_id, **_plain(p)} for p in contact.phones]
    links = []
    for link in data.service_at_locations:
        if link.location is not None:
            location = link.location if link.location_id is None else link.location.model_copy(update={"id": link.location_id})
            location_id = await save_location(session, location, by)
        else:
            location_id = str(link.location_id)
            if not await session.scalar(select(locations.c.id).where(locations.c.id == location_id)):
                raise Invalid(f"There is no location with id {location_id}: add the location first.")
        links.append({"id": new_id(link.id), "location_id": location_id, "description": link.description, **owned})
    rows[service_at_locations] = links
    rows[attributes] = await _term_links(session, service_id, data, by)
    for table in (schedules, service_areas, languages, cost_options, phones, contacts, service_at_locations, attributes):
        if rows[table]:
            await session.execute(insert(table), rows[table])
    if contact_phones:
        await session.execute(insert(phones), contact_phones)


async def _term_links(session: AsyncSession, service_id: str, data: ServiceCreate, by: str) -> list[dict]:
    wanted: dict[str, dict] = {str(t): {"id": new_id()} for t in data.taxonomy_term_ids}
    for attribute in data.attributes:
        if attribute.taxonomy_term is not None and not await _term_exists(session, str(attribute.taxonomy_term.id)):
            term = attribute.taxonomy_term
            if term.taxonomy_id and not await hsds.taxonomies_of(session, [str(term.taxonomy_id)]):
                term = term.model_copy(update={"taxonomy_id": None})
            await save_taxonomy_term(session, term, by)
        term_id = str(attribute.taxonomy_term_id or attribute.taxonomy_term.id)
        wanted[term_id] = {"id": new_id(attribute.id), "link_type": attribute.link_type, "value": attribute.value}
    if wanted:
        known = set((await session.execute(select(taxonomy_terms.c.id).where(taxonomy_terms.c.id.in_(list(wanted))))).scalars())
        missing = [t for t in wanted if t not in known]
        if missing:
            raise Invalid(f"There is no taxonomy term with id {missing[0]}: add the term first.")
    return [
        {"id": extra["id"], "link_id": service_id, "link_entity": "service", "taxonomy_term_id": term_id,
         "link_type": extra.get("link_type") or "need", "value": extra.get("value")}
        for term_id, extra in wanted.items()
    ]


async def _term_exists(session: AsyncSession, term_id: str) -> bool:
    return bool(await session.scalar(select(taxonomy_terms.c.id).where(taxonomy_terms.c.id == term_id)))


async def refresh_search_text(session: AsyncSession, service_ids: list[str]) -> None:
    """The lower-case words search looks in: name, description, organisation and needs."""
    for start in range(0, len(service_ids), hsds.CHUNK):
        ids = service_ids[start : start + hsds.CHUNK]
        rows = (await session.execute(
            select(services.c.id, services.c.name, services.c.alternate_name, services.c.description,
                   services.c.eligibility_description, organizations.c.name.label("org"))
            .join(organizations, organizations.c.id == services.c.organization_id)
            .where(services.c.id.in_(ids))
        )).all()
        terms = (await session.execute(
            select(attributes.c.link_id, taxonomy_terms.c.name)
            .join(taxonomy_terms, taxonomy_terms.c.id == attributes.c.taxonomy_term_id)
            .where(attributes.c.link_entity == "service", attributes.c.link_id.in_(ids))
        )).all()
        names: dict[str, list[str]] = {}
        for link_id, name in terms:
            names.setdefault(link_id, []).append(name)
        for row in rows:
            parts = [row.name, row.alternate_name, row.description, row.eligibility_description, row.org, *names.get(row.id, [])]
            text = " ".join(p for p in parts if p).lower()
            await session.execute(update(services).where(services.c.id == row.id).values(search_text=text))


async def _refresh_services_of(session: AsyncSession, org_id: str) -> None:
    ids = (await session.execute(select(services.c.id).where(services.c.organization_id == org_id))).scalars().all()
    await refresh_search_text(session, list(ids))
