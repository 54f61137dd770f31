"""Searching the directory: the same search for the open API (services, and services at each of
their places), the public "Find a local group" page and staff signposting someone.

A search only reads. What a staff search that found nothing says about unmet need is recorded
when staff ask for it, by a separate request (`service.unmet_need`), never by the search itself:
a search is a GET, which a link on any site can make with a signed-in browser's cookie.
"""

from __future__ import annotations

from dataclasses import dataclass

from forum_shared.db import Database
from signposting.domain import ServiceQuery
from signposting.hsds import Document
from signposting.records import DocumentsPage
from signposting.store import documents, search


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
        found = await search.find_services(session, query)
        load = documents.services_full if in_full else documents.services_brief
        items = await load(session, found.ids)
    return ServicesFound(items, found.total, found.distances)


async def find_service_at_locations(db: Database, query: ServiceQuery) -> DocumentsPage:
    """The page of services at their places `query` asks for, as Open Referral UK lists them: the
    same search as `find_services`, one result for each place a service meets people."""
    async with db.read() as session:
        found = await search.find_service_at_locations(session, query)
        items = await documents.service_at_locations_brief(session, found.ids)
    return DocumentsPage(items, found.total, query.page, query.per_page)


async def service_at_location(db: Database, link_id: str) -> Document | None:
    """A service at one of its places, fully nested; None if there is no such link."""
    async with db.read() as session:
        return await documents.service_at_location_full(session, link_id)
