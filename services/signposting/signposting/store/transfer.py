"""The whole directory at once, for export: the ids of each kind of record, and every table as
the HSDS tabular form names it (`services.csv`, `organizations.csv` …)."""

from __future__ import annotations

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting.hsds import Document
from signposting.hsds_files import TabularFile
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
from signposting.store.documents import document
from signposting.store.tables import (
    INTERNAL,
    attributes,
    history,
    organizations,
    service_areas,
    services,
    taxonomies,
    taxonomy_terms,
)

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
KINDS = {"taxonomies": taxonomies, "taxonomy_terms": taxonomy_terms, "organizations": organizations,
         "locations": locations, "services": services}


async def all_ids(session: AsyncSession, kind: str) -> list[str]:
    """Every id of a kind of record (`services`, `organizations` …), in order."""
    table = KINDS[kind]
    return list((await session.execute(select(table.c.id).order_by(table.c.id))).scalars())


async def tabular_files(session: AsyncSession) -> list[TabularFile]:
    """Every table as an HSDS CSV file's rows: ordered by id, the history in the order it was made."""
    files = []
    for name, table in CSV_FILES.items():
        files.append(TabularFile(name, _hsds_columns(table), await _rows(session, table)))
    return files


def _hsds_columns(table: Table) -> list[str]:
    return [c.name for c in table.columns if c.name not in INTERNAL]


async def _rows(session: AsyncSession, table: Table) -> list[Document]:
    order = table.c.position if table is history else table.c.id
    return [document(row, table) for row in (await session.execute(select(table).order_by(order))).all()]
