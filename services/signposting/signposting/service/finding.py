"""Searching the directory: the same search for the open API, the public "Find a local group"
page and staff signposting someone.

A search only reads. What a staff search that found nothing says about unmet need is recorded
when staff ask for it, by a separate request (`service.unmet_need`), never by the search itself:
a search is a GET, which a link on any site can make with a signed-in browser's cookie.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_shared.db import Database
from signposting.domain import ServiceQuery
from signposting.hsds import Document
from signposting.store import documents
from signposting.store.search import find_services as search


@dataclass(frozen=True)
class ServicesFound:
    """A page of services found: as Open Referral UK lists them (or in full, if asked), how many
    in all, and metres from the place searched where that is known."""

    services: list[Document]
    total: int
    distances: dict[str, float]


async def find_services(db: Database, query: ServiceQuery, *, in_full: bool = False) -> ServicesFound:
    """The page of services `query` asks for (`Invalid` for a place, day or proximity that cannot
    be used). Nothing is written."""
    async with db.read() as session:
        found = await search(session, query)
        load = documents.services_full if in_full else documents.services_brief
        items = await load(session, found.ids)
    return ServicesFound(items, found.total, found.distances)
