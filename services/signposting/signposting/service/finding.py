"""Searching the directory: the same search for the open API, the public "Find a local group"
page and staff signposting someone.

A search by staff about a need or a place (words, need, postcode or area) that finds nothing is
counted as unmet need, without anything personal. Searches by anyone else are not counted: anyone
can repeat a search as often as they like, so counting theirs would let anyone inflate the report
the forum acts on. The answer is the same either way.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime

from forum_shared.db import Database
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from signposting import domain
from signposting.domain import ServiceQuery
from signposting.hsds import Document
from signposting.records import UnmetSearch
from signposting.store import documents, signposting
from signposting.store.search import find_services as search

LONGEST_WORDS = 200


@dataclass(frozen=True)
class ServicesFound:
    """A page of services found: as Open Referral UK lists them (or in full, if asked), how many
    in all, and metres from the place searched where that is known."""

    services: list[Document]
    total: int
    distances: dict[str, float]


async def find_services(
    db: Database, query: ServiceQuery, *, searcher: Principal | None = None, in_full: bool = False
) -> ServicesFound:
    """The page of services `query` asks for (`Invalid` for a place, day or proximity that cannot
    be used). A `searcher` is staff searching for someone: if they find nothing, it is unmet need."""
    async with db.read() as session:
        found = await search(session, query)
        load = documents.services_full if in_full else documents.services_brief
        items = await load(session, found.ids)
    if searcher is not None and found.total == 0 and query.page == 1 and query.about_a_need:
        await _count_unmet_need(db, searcher, query)
    return ServicesFound(items, found.total, found.distances)


def unmet_search(query: ServiceQuery, at: datetime) -> UnmetSearch:
    """What is kept of a search that found nothing: the district, the needs, and the words unless
    they look like contact details."""
    words = " ".join(query.words)[:LONGEST_WORDS] or None
    if words and domain.personal_detail_in(words):
        words = None
    return UnmetSearch(
        at, domain.anonymous_area(query.postcode or query.area), sorted(set(query.taxonomy_term_ids)), words
    )


async def _count_unmet_need(db: Database, searcher: Principal, query: ServiceQuery) -> None:
    # Counted, not audited: the count holds nothing about who searched or for whom.
    async with unit_of_work(db, searcher) as work:
        await signposting.add_unmet_search(work.session, str(uuid.uuid4()), unmet_search(query, datetime.now(UTC)))
