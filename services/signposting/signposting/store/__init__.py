"""The signposting service's storage: its tables (`metadata` for migrations) and the queries its
use cases need, each returning typed records (`signposting.records`) or HSDS objects (`documents`).

    tables, detail_tables   the HSDS directory and the forum's own records
    documents               HSDS objects, nested, loaded a page at a time
    browse                  pages of organisations (the one organisation search), taxonomies, needs
    search                  the service search: a full-text index of words, distance and ranking in SQL
    directory               writing organisations, locations, services and needs
    community_groups        organisations that host pop-up forums, their areas and visits
    listings                checking listings with their providers; stale ones
    changes                 the history of every change (HSDS `metadata`)
    signposting             anonymous signposting records, unmet searches and the report's rows
    transfer                the whole directory, table by table, for export and import checks
"""

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
    history,
    metadata,
    organization_areas,
    organizations,
    service_areas,
    services,
    signposting_needs,
    signpostings,
    taxonomies,
    taxonomy_terms,
    unmet_searches,
)

__all__ = [
    "INTERNAL",
    "accessibility",
    "addresses",
    "attributes",
    "contacts",
    "cost_options",
    "history",
    "languages",
    "locations",
    "metadata",
    "organization_areas",
    "organizations",
    "phones",
    "schedules",
    "service_areas",
    "service_at_locations",
    "services",
    "signposting_needs",
    "signpostings",
    "taxonomies",
    "taxonomy_terms",
    "unmet_searches",
]
