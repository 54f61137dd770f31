"""Importing and exporting the whole directory: an Open Referral UK JSON feed, or the HSDS tabular
form (a zip of CSV files).

An import is all or nothing: the feed is checked first (`hsds_files`), then every id it points at
must be in the feed or the directory, and only then is it written, in one transaction, through the
same steps staff changes take; any problem met while writing rolls the whole of it back. Importing
the same feed again changes nothing.

The CSV export is a machine exchange format that must import back unchanged, so its cells are not
guarded for spreadsheets with a leading apostrophe (see `hsds_files`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from sqlalchemy.exc import IntegrityError

from forum_shared.db import Database
from forum_shared.errors import ForumError
from forum_shared.unit_of_work import Work, unit_of_work
from signposting.hsds import HSDS_VERSION, timestamp
from signposting.hsds_files import Batch, ImportRejected, Problem, Problems, csv_zip
from signposting.service.editor import Editor
from signposting.service.locations import save_location
from signposting.service.needs import save_taxonomy, save_taxonomy_term
from signposting.service.organizations import save_organization
from signposting.service.services import save_service
from signposting.store import directory, documents, transfer

Item = TypeVar("Item")


@dataclass(frozen=True)
class Imported:
    """How many of each kind of record an import brought in."""

    organizations: int
    services: int
    locations: int
    taxonomies: int
    taxonomy_terms: int


async def import_batch(db: Database, editor: Editor, batch: Batch) -> Imported:
    """Write a checked import (`ImportRejected` if anything in it cannot be written), with one
    audit entry saying how much it brought in. Its history names the person who imported it."""
    by = f"import by {editor.name}"
    async with unit_of_work(db, editor.user, "directory.imported") as work:
        await _check_references(work, batch)
        await _save_all(work, "taxonomies", batch.taxonomies, save_taxonomy, by)
        await _save_all(work, "taxonomy_terms", batch.terms, save_taxonomy_term, by)
        await _save_all(work, "organizations", batch.organizations, save_organization, by)
        await _save_all(work, "locations", batch.locations, save_location, by)
        await _save_all(work, "services", batch.services, save_service, by)
        counts = Imported(
            organizations=len(batch.organizations) + len({s.organization.id for s in batch.services if s.organization}),
            services=len(batch.services),
            locations=len(batch.locations),
            taxonomies=len(batch.taxonomies),
            taxonomy_terms=len(batch.terms),
        )
        work.audit("directory.imported", None, **asdict(counts))
        return counts


async def _save_all(
    work: Work, source: str, items: Sequence[Item], save: Callable[[Work, Item, str], Awaitable[str]], by: str
) -> None:
    for row, item in enumerate(items, start=1):
        try:
            await save(work, item, by)
        except ForumError as exc:
            raise ImportRejected([Problem(source, row, None, exc.message)]) from None
        except IntegrityError:
            message = "an id in this item is already used by another record (say, one schedule id under two services)"
            raise ImportRejected([Problem(source, row, None, message)]) from None


async def _check_references(work: Work, batch: Batch) -> None:
    """Every id a row points at must be in the import or already in the directory."""
    problems = Problems()
    orgs = {str(o.id) for o in batch.organizations if o.id} | {
        str(s.organization.id) for s in batch.services if s.organization and s.organization.id
    }
    locs = {str(loc.id) for loc in batch.locations if loc.id}
    terms = {str(t.id) for t in batch.terms if t.id}
    wanted_orgs = {str(s.organization_id) for s in batch.services if s.organization_id} - orgs
    wanted_locs = {
        str(link.location_id)
        for s in batch.services
        for link in s.service_at_locations
        if link.location_id and not link.location
    } - locs
    wanted_terms = {str(t) for s in batch.services for t in s.taxonomy_term_ids} | {
        str(a.taxonomy_term_id)
        for s in batch.services
        for a in s.attributes
        if a.taxonomy_term_id and not a.taxonomy_term
    }
    wanted_terms -= terms
    orgs |= await directory.known_ids(work.session, "organisation", sorted(wanted_orgs))
    locs |= await directory.known_ids(work.session, "location", sorted(wanted_locs))
    terms |= await directory.known_ids(work.session, "taxonomy term", sorted(wanted_terms))
    for row, s in enumerate(batch.services, start=1):
        if s.organization_id and str(s.organization_id) not in orgs:
            problems.add(
                "services",
                row,
                "organization_id",
                f"no organisation {s.organization_id} in the import or the directory",
            )
        for link in s.service_at_locations:
            if link.location_id and not link.location and str(link.location_id) not in locs:
                problems.add(
                    "services",
                    row,
                    "service_at_locations",
                    f"no location {link.location_id} in the import or the directory",
                )
        for term in [
            *s.taxonomy_term_ids,
            *(a.taxonomy_term_id for a in s.attributes if a.taxonomy_term_id and not a.taxonomy_term),
        ]:
            if str(term) not in terms:
                problems.add("services", row, "attributes", f"no taxonomy term {term} in the import or the directory")
    if problems.items:
        raise ImportRejected(problems.items)


async def export_json(db: Database) -> dict[str, Any]:
    """The whole directory, in the same shape the JSON import accepts."""
    async with db.read() as session:
        service_list = await documents.services_full(session, await transfer.all_ids(session, "services"))
        for item in service_list:
            item.pop("organization", None)
            for link in item["service_at_locations"]:
                link.pop("location", None)
        org_list = []
        for org_id in await transfer.all_ids(session, "organizations"):
            org = await documents.organization_full(session, org_id, [])
            if org is not None:
                org.pop("services", None)
                org_list.append(org)
        location_ids = await transfer.all_ids(session, "locations")
        places = await documents.locations_full(session, location_ids)
        return {
            "version": HSDS_VERSION,
            "exported_at": timestamp(datetime.now(UTC)),
            "taxonomies": await documents.taxonomies_of(session, await transfer.all_ids(session, "taxonomies")),
            "taxonomy_terms": await documents.terms_of(session, await transfer.all_ids(session, "taxonomy_terms")),
            "organizations": org_list,
            "locations": [places[i] for i in location_ids],
            "services": service_list,
        }


async def export_csv_zip(db: Database) -> bytes:
    """The whole directory as HSDS CSV files in a zip, one file per kind of HSDS object, with the
    history of changes as `metadata.csv`."""
    async with db.read() as session:
        files = await transfer.tabular_files(session)
    return csv_zip(files)
