"""Services of the directory: what each offers, the needs it meets, the areas it covers, when and
where it meets people and how to reach it. Saving one replaces everything under it, and keeps the
words search looks in up to date."""

from __future__ import annotations

import uuid
from typing import Any

from forum_shared.db import Database
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.unit_of_work import Work, unit_of_work
from signposting import domain
from signposting.domain import ChangeKind, ServiceStatus
from signposting.hsds import Document
from signposting.records import Service
from signposting.schemas.services import ServiceCreate, ServiceUpdate
from signposting.service.editor import Editor
from signposting.service.locations import save_location
from signposting.service.needs import save_taxonomy_term
from signposting.service.organizations import save_organization
from signposting.service.writing import changes_between, child_rows, new_id, row_of, validated
from signposting.store import directory, documents
from signposting.store.changes import record_changes

# Everything under a service, replaced as a whole when the service is saved.
LISTS = frozenset({
    "taxonomy_term_ids", "attributes", "schedules", "service_areas", "languages", "contacts", "phones",
    "cost_options", "service_at_locations",
})


def no_such_service(service_id: str) -> NotFound:
    return NotFound(f"There is no service with id {service_id} in the directory.")


def service_of(found: Document) -> Service:
    return Service(found["id"], found["organization_id"], found["name"], ServiceStatus(found["status"]), found)


async def save_service(work: Work, data: ServiceCreate, by: str) -> str:
    """Create a service, or replace it (and its schedules, areas, contacts …) if its id exists;
    `Invalid` if its organisation, a location or a need is not in the directory."""
    session = work.session
    service_id = new_id(data.id)
    exists = await directory.exists(session, "service", service_id)
    before = (await documents.services_full(session, [service_id]))[0] if exists else None
    org_id = (
        str(data.organization_id)
        if data.organization_id
        else new_id(data.organization.id if data.organization else None)
    )
    if data.organization is not None:
        await save_organization(work, data.organization.model_copy(update={"id": uuid.UUID(org_id)}), by)
    elif not await directory.exists(session, "organisation", org_id):
        raise Invalid(f"There is no organisation with id {org_id}: add the organisation first.")
    values = {**row_of(data, exclude=LISTS | {"organization", "organization_id"}), "organization_id": org_id}
    await directory.write_service(session, service_id, values, new=not exists)
    await _write_children(work, service_id, data, by)
    await directory.refresh_search_index(session, [service_id])
    if before is None:
        await record_changes(
            session, "service", service_id, ChangeKind.CREATE, by, changes_between(None, {"name": data.name})
        )
    else:
        after = (await documents.services_full(session, [service_id]))[0]
        await record_changes(session, "service", service_id, ChangeKind.UPDATE, by, changes_between(before, after))
    return service_id


async def _write_children(work: Work, service_id: str, data: ServiceCreate, by: str) -> None:
    owned = {"service_id": service_id}
    rows: dict[str, list[dict[str, Any]]] = {
        "schedules": child_rows(data.schedules, **owned),
        "service_areas": [
            {**row, "area_key": domain.key(row["name"])} for row in child_rows(data.service_areas, **owned)
        ],
        "languages": child_rows(data.languages, **owned),
        "cost_options": child_rows(data.cost_options, **owned),
        "phones": child_rows(data.phones, **owned),
        "contacts": [],
    }
    contact_phones = []
    for contact in data.contacts:
        contact_id = new_id(contact.id)
        rows["contacts"].append({"id": contact_id, **row_of(contact, exclude=frozenset({"phones"})), **owned})
        contact_phones += child_rows(contact.phones, contact_id=contact_id)
    links = []
    for link in data.service_at_locations:
        if link.location is not None:
            place = (
                link.location if link.location_id is None else link.location.model_copy(update={"id": link.location_id})
            )
            location_id = await save_location(work, place, by)
        else:
            location_id = str(link.location_id)
            if not await directory.exists(work.session, "location", location_id):
                raise Invalid(f"There is no location with id {location_id}: add the location first.")
        links.append({"id": new_id(link.id), "location_id": location_id, "description": link.description, **owned})
    rows["service_at_locations"] = links
    rows["attributes"] = await _needs_met(work, service_id, data, by)
    await directory.insert_service_children(work.session, rows, contact_phones)


async def _needs_met(work: Work, service_id: str, data: ServiceCreate, by: str) -> list[dict[str, Any]]:
    """The service's links to the needs it meets; a need a feed carries in full is added first."""
    wanted: dict[str, dict[str, Any]] = {str(t): {"id": new_id()} for t in data.taxonomy_term_ids}
    for attribute in data.attributes:
        term = attribute.taxonomy_term
        if (
            term is not None
            and term.id is not None
            and not await directory.exists(work.session, "taxonomy term", str(term.id))
        ):
            if term.taxonomy_id and not await documents.taxonomies_of(work.session, [str(term.taxonomy_id)]):
                term = term.model_copy(update={"taxonomy_id": None})
            await save_taxonomy_term(work, term, by)
        term_id = str(attribute.taxonomy_term_id or (attribute.taxonomy_term.id if attribute.taxonomy_term else ""))
        wanted[term_id] = {"id": new_id(attribute.id), "link_type": attribute.link_type, "value": attribute.value}
    if wanted:
        known = await directory.known_ids(work.session, "taxonomy term", list(wanted))
        missing = [t for t in wanted if t not in known]
        if missing:
            raise Invalid(f"There is no taxonomy term with id {missing[0]}: add the term first.")
    return [
        {
            "id": extra["id"],
            "link_id": service_id,
            "link_entity": "service",
            "taxonomy_term_id": term_id,
            "link_type": extra.get("link_type") or "need",
            "value": extra.get("value"),
        }
        for term_id, extra in wanted.items()
    ]


async def _service(work: Work, service_id: str) -> Service:
    found = await documents.services_full(work.session, [service_id])
    if not found:
        raise no_such_service(service_id)
    return service_of(found[0])


async def add_service(db: Database, editor: Editor, data: ServiceCreate) -> Service:
    """Add a service with everything under it (`Conflict` if its id is taken)."""
    async with unit_of_work(db, editor.user, "directory.service_added") as work:
        if data.id is not None and await directory.exists(work.session, "service", str(data.id)):
            raise Conflict(f"There is already a service with id {data.id}: change it with PATCH instead.")
        service_id = await save_service(work, data, editor.name)
        work.audit("directory.service_added", f"service:{service_id}")
        return await _service(work, service_id)


async def change_service(db: Database, editor: Editor, service_id: str, patch: ServiceUpdate) -> Service:
    """Change the fields given; a list given replaces the list. `NotFound` if there is none."""
    fields = sorted(patch.model_fields_set)
    async with unit_of_work(
        db, editor.user, "directory.service_changed", f"service:{service_id}", {"fields": fields}
    ) as work:
        current = dict((await _service(work, service_id)).hsds)
        current.pop("organization", None)
        current["taxonomy_term_ids"] = [a["taxonomy_term_id"] for a in current.pop("attributes", [])]
        current["service_at_locations"] = [
            {k: v for k, v in link.items() if k != "location"} for link in current["service_at_locations"]
        ]
        merged = {**current, **patch.model_dump(exclude_unset=True, mode="json"), "id": service_id}
        await save_service(work, validated(ServiceCreate, merged), editor.name)
        return await _service(work, service_id)


async def service(db: Database, service_id: str) -> Service | None:
    """A service with everything under it, as Open Referral UK shows it; None if there is none."""
    async with db.read() as session:
        found = await documents.services_full(session, [service_id])
    return service_of(found[0]) if found else None


async def services(db: Database, ids: list[str]) -> list[Service]:
    """Services with everything under them, in the order of `ids` (those not found left out)."""
    async with db.read() as session:
        return [service_of(found) for found in await documents.services_full(session, ids)]
