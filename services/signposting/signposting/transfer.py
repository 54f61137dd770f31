"""Import and export of the whole directory: an Open Referral UK JSON feed, or the HSDS tabular
(CSV) form as a zip of `services.csv`, `organizations.csv` … named as in the HSDS schema.

An import is all or nothing: every row is checked first and every problem is reported with its
file (or list), row and field; only a clean import is written, in one transaction.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from pydantic import BaseModel, ValidationError
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import ForumError
from signposting import directory, hsds
from signposting.schemas import (
    AccessibilityCreate,
    AddressCreate,
    AttributeCreate,
    ContactCreate,
    CostOptionCreate,
    LanguageCreate,
    LocationCreate,
    OrganizationCreate,
    PhoneCreate,
    ScheduleCreate,
    ServiceAreaCreate,
    ServiceAtLocationCreate,
    ServiceCreate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.store import (
    INTERNAL,
    accessibility,
    addresses,
    attributes,
    contacts,
    cost_options,
    history,
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

MAX_PROBLEMS = 200
# HSDS tabular file names (the `path` of each object in the HSDS schema) and their tables.
CSV_FILES = {
    "taxonomies.csv": taxonomies,
    "taxonomy_terms.csv": taxonomy_terms,
    "organizations.csv": organizations,
    "locations.csv": locations,
    "addresses.csv": addresses,
    "accessibility.csv": accessibility,
    "services.csv": services,
    "service_at_location.csv": service_at_locations,
    "service_areas.csv": service_areas,
    "schedules.csv": schedules,
    "languages.csv": languages,
    "contacts.csv": contacts,
    "phones.csv": phones,
    "cost_options.csv": cost_options,
    "attributes.csv": attributes,
    "metadata.csv": history,
}


class ImportRejected(ForumError):
    status_code = 422

    def __init__(self, problems: list[dict]) -> None:
        count = len(problems)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found. "
            "Fix them and import the whole file again."
        )
        self.problems = problems[:MAX_PROBLEMS]


@dataclass
class Batch:
    taxonomies: list[TaxonomyCreate]
    terms: list[TaxonomyTermCreate]
    organizations: list[OrganizationCreate]
    locations: list[LocationCreate]
    services: list[ServiceCreate]


class Problems:
    def __init__(self) -> None:
        self.items: list[dict] = []

    def add(self, source: str, row: int | None, field: str | None, message: str) -> None:
        self.items.append({"source": source, "row": row, "field": field, "message": message})

    def check(self, model: type[BaseModel], values: Any, source: str, row: int) -> Any:
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or None
                self.add(source, row, where, err["msg"].removeprefix("Value error, "))
            return None


# -- JSON ---------------------------------------------------------------------------------
def parse_json_feed(feed: Any) -> Batch:
    """A list of services, a page of them (`contents`), or a whole directory as exported."""
    problems = Problems()
    if isinstance(feed, list):
        feed = {"services": feed}
    elif isinstance(feed, dict) and "contents" in feed and "services" not in feed:
        feed = {"services": feed["contents"]}
    if not isinstance(feed, dict) or not any(isinstance(feed.get(k), list) for k in _JSON_LISTS):
        raise ImportRejected([{"source": "feed", "row": None, "field": None, "message":
                               "Expected a list of services, a page with `contents`, or an object with `services`, "
                               "`organizations`, `locations`, `taxonomies` or `taxonomy_terms` lists."}])
    parsed = {}
    for name, model in _JSON_LISTS.items():
        items = feed.get(name) or []
        if not isinstance(items, list):
            problems.add(name, None, None, "should be a list")
            items = []
        parsed[name] = [problems.check(model, item, name, i) for i, item in enumerate(items, start=1)]
    if problems.items:
        raise ImportRejected(problems.items)
    return Batch(parsed["taxonomies"], parsed["taxonomy_terms"], parsed["organizations"], parsed["locations"], parsed["services"])


_JSON_LISTS = {
    "taxonomies": TaxonomyCreate,
    "taxonomy_terms": TaxonomyTermCreate,
    "organizations": OrganizationCreate,
    "locations": LocationCreate,
    "services": ServiceCreate,
}


# -- CSV ----------------------------------------------------------------------------------
def parse_csv_zip(data: bytes) -> Batch:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise ImportRejected([{"source": "upload", "row": None, "field": None,
                               "message": "This is not a zip file of HSDS CSV files (services.csv, organizations.csv …)."}]) from None
    files: dict[str, list[tuple[int, dict]]] = {}
    problems = Problems()
    for info in archive.infolist():
        name = info.filename.rsplit("/", 1)[-1]
        if name in CSV_FILES and name != "metadata.csv":
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.add(name, None, None, "is not UTF-8 text")
                continue
            reader = csv.DictReader(io.StringIO(text))
            files[name] = [(n, {k: (v if v != "" else None) for k, v in row.items() if k}) for n, row in enumerate(reader, start=2)]
    if not files:
        problems.add("upload", None, None, "No HSDS CSV files found: name them services.csv, organizations.csv, locations.csv …")
    if problems.items:
        raise ImportRejected(problems.items)
    return _assemble(files, problems)


def _assemble(files: dict[str, list[tuple[int, dict]]], problems: Problems) -> Batch:
    def rows(name: str, model: type[BaseModel]) -> list[tuple[dict, Any]]:
        return [(raw, problems.check(model, raw, name, n)) for n, raw in files.get(name, [])]

    def by(items: list[tuple[dict, Any]], column: str, *, when=lambda raw: True) -> dict[str, list]:
        grouped: dict[str, list] = defaultdict(list)
        for raw, model in items:
            if model is not None and raw.get(column) and when(raw):
                grouped[raw[column]].append(model)
        return grouped

    phone_rows = rows("phones.csv", PhoneCreate)
    contact_rows = rows("contacts.csv", ContactCreate)
    phones_of_contact = by(phone_rows, "contact_id")
    for raw, model in contact_rows:
        if model is not None:
            model.phones = phones_of_contact.get(raw["id"], [])
    language_rows = rows("languages.csv", LanguageCreate)
    children = {
        "schedules": by(rows("schedules.csv", ScheduleCreate), "service_id"),
        "service_areas": by(rows("service_areas.csv", ServiceAreaCreate), "service_id"),
        "languages": by(language_rows, "service_id"),
        "cost_options": by(rows("cost_options.csv", CostOptionCreate), "service_id"),
        "contacts": by(contact_rows, "service_id"),
        "phones": by(phone_rows, "service_id", when=lambda raw: not raw.get("contact_id")),
        "attributes": by(rows("attributes.csv", AttributeCreate), "link_id", when=lambda raw: raw.get("link_entity") in (None, "service")),
        "service_at_locations": by(rows("service_at_location.csv", ServiceAtLocationCreate), "service_id"),
    }
    location_children = {
        "addresses": by(rows("addresses.csv", AddressCreate), "location_id"),
        "accessibility": by(rows("accessibility.csv", AccessibilityCreate), "location_id"),
        "languages": by(language_rows, "location_id"),
    }
    org_phones = by(phone_rows, "organization_id", when=lambda raw: not raw.get("contact_id"))

    def build(name: str, model: type[BaseModel], nested: dict[str, dict[str, list]]) -> list:
        built = []
        for n, raw in files.get(name, []):
            lists = {field: [m.model_dump() for m in by_parent.get(raw.get("id"), [])] for field, by_parent in nested.items()}
            item = problems.check(model, {**raw, **lists}, name, n)
            if item is not None:
                built.append(item)
        return built

    batch = Batch(
        taxonomies=build("taxonomies.csv", TaxonomyCreate, {}),
        terms=build("taxonomy_terms.csv", TaxonomyTermCreate, {}),
        organizations=build("organizations.csv", OrganizationCreate, {"phones": org_phones}),
        locations=build("locations.csv", LocationCreate, location_children),
        services=build("services.csv", ServiceCreate, children),
    )
    if problems.items:
        # One bad child row is reported once, not again as part of its parent.
        seen, unique = set(), []
        for p in problems.items:
            key = (p["source"], p["row"], p["field"], p["message"])
            if key not in seen:
                seen.add(key)
                unique.append(p)
        raise ImportRejected(unique)
    return batch


# -- writing ------------------------------------------------------------------------------
async def import_batch(session: AsyncSession, batch: Batch, by: str) -> dict:
    """Write a checked batch in the caller's transaction; any problem rolls the whole of it back."""
    await _check_references(session, batch)
    steps = (
        ("taxonomies", batch.taxonomies, directory.save_taxonomy),
        ("taxonomy_terms", batch.terms, directory.save_taxonomy_term),
        ("organizations", batch.organizations, directory.save_organization),
        ("locations", batch.locations, directory.save_location),
        ("services", batch.services, directory.save_service),
    )
    for source, items, save in steps:
        for row, item in enumerate(items, start=1):
            try:
                await save(session, item, by)
            except ForumError as exc:
                raise ImportRejected([{"source": source, "row": row, "field": None, "message": exc.message}]) from None
            except IntegrityError:
                message = "an id in this item is already used by another record (say, one schedule id under two services)"
                raise ImportRejected([{"source": source, "row": row, "field": None, "message": message}]) from None
    return {
        "organizations": len(batch.organizations) + len({s.organization.id for s in batch.services if s.organization}),
        "services": len(batch.services),
        "locations": len(batch.locations),
        "taxonomies": len(batch.taxonomies),
        "taxonomy_terms": len(batch.terms),
    }


async def _check_references(session: AsyncSession, batch: Batch) -> None:
    """Every id a row points at must be in the import or already in the directory."""
    problems = Problems()

    async def known(table, ids: set[str]) -> set[str]:
        found: set[str] = set()
        ids_list = list(ids)
        for start in range(0, len(ids_list), hsds.CHUNK):
            chunk = ids_list[start : start + hsds.CHUNK]
            found |= set((await session.execute(select(table.c.id).where(table.c.id.in_(chunk)))).scalars())
        return found

    orgs = {str(o.id) for o in batch.organizations if o.id} | {str(s.organization.id) for s in batch.services if s.organization and s.organization.id}
    locs = {str(loc.id) for loc in batch.locations if loc.id}
    terms = {str(t.id) for t in batch.terms if t.id}
    wanted_orgs = {str(s.organization_id) for s in batch.services if s.organization_id} - orgs
    wanted_locs = {str(link.location_id) for s in batch.services for link in s.service_at_locations if link.location_id and not link.location} - locs
    wanted_terms = {str(t) for s in batch.services for t in s.taxonomy_term_ids} | {
        str(a.taxonomy_term_id) for s in batch.services for a in s.attributes if a.taxonomy_term_id and not a.taxonomy_term
    }
    wanted_terms -= terms
    orgs |= await known(organizations, wanted_orgs)
    locs |= await known(locations, wanted_locs)
    terms |= await known(taxonomy_terms, wanted_terms)
    for row, s in enumerate(batch.services, start=1):
        if s.organization_id and str(s.organization_id) not in orgs:
            problems.add("services", row, "organization_id", f"no organisation {s.organization_id} in the import or the directory")
        for link in s.service_at_locations:
            if link.location_id and not link.location and str(link.location_id) not in locs:
                problems.add("services", row, "service_at_locations", f"no location {link.location_id} in the import or the directory")
        for term in [*s.taxonomy_term_ids, *(a.taxonomy_term_id for a in s.attributes if a.taxonomy_term_id and not a.taxonomy_term)]:
            if str(term) not in terms:
                problems.add("services", row, "attributes", f"no taxonomy term {term} in the import or the directory")
    if problems.items:
        raise ImportRejected(problems.items)


# -- export -------------------------------------------------------------------------------
async def export_json(session: AsyncSession) -> dict:
    """The whole directory, in the same shape the JSON import accepts."""
    async def ids(table) -> list[str]:
        return list((await session.execute(select(table.c.id).order_by(table.c.id))).scalars())

    service_list = await hsds.services_full(session, await ids(services))
    for item in service_list:
        item.pop("organization", None)
        for link in item["service_at_locations"]:
            link.pop("location", None)
    org_ids = await ids(organizations)
    org_list = []
    for org_id in org_ids:
        org = await hsds.organization_full(session, org_id, [])
        org.pop("services", None)
        org_list.append(org)
    location_ids = await ids(locations)
    places = await hsds.locations_full(session, location_ids)
    return {
        "version": "HSDS-UK-3.0",
        "exported_at": hsds.timestamp(datetime.now(UTC)),
        "taxonomies": await hsds.taxonomies_of(session, await ids(taxonomies)),
        "taxonomy_terms": await hsds.terms_of(session, await ids(taxonomy_terms)),
        "organizations": org_list,
        "locations": [places[i] for i in location_ids],
        "services": service_list,
    }


async def export_csv_zip(session: AsyncSession) -> bytes:
    """The whole directory as HSDS CSV files in a zip, one file per HSDS object."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, table in CSV_FILES.items():
            columns = [c.name for c in table.columns if c.name not in INTERNAL]
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=columns, extrasaction="ignore")
            writer.writeheader()
            order = table.c.position if name == "metadata.csv" else table.c.id
            for row in (await session.execute(select(table).order_by(order))).all():
                writer.writerow({**{c: "" for c in columns}, **hsds.clean(row, table)})
            archive.writestr(name, out.getvalue())
    return buffer.getvalue()
