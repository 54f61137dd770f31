"""Listings checked with their providers: staff mark a service or an organisation as checked today;
one nobody has checked for 12 months is stale (it may be out of date). And the history of every
change to a listing, who made it and when."""

from __future__ import annotations

from datetime import UTC, date, datetime

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.unit_of_work import unit_of_work
from signposting import domain
from signposting.domain import ChangeKind, ListingKind
from signposting.records import Change, Listing
from signposting.service.editor import Editor
from signposting.service.organizations import no_such_organization
from signposting.service.services import no_such_service
from signposting.store import directory, listings
from signposting.store.changes import changes_to, record_changes


def today_in_utc() -> date:
    return datetime.now(UTC).date()


async def mark_checked(
    db: Database, editor: Editor, kind: ListingKind, listing_id: str, today: date | None = None
) -> Listing:
    """Staff checked the listing with its provider today: it is current again. `NotFound` if there
    is no such listing."""
    today = today or today_in_utc()
    async with unit_of_work(db, editor.user, "directory.listing_checked", f"{kind.value}:{listing_id}") as work:
        if kind is ListingKind.SERVICE:
            found = await listings.service_check(work.session, listing_id)
            if found is None:
                raise no_such_service(listing_id)
            name, checked_before = found
            await listings.mark_service_checked(work.session, listing_id, today, editor.name)
            field = "assured_date"
        else:
            organization = await directory.organization(work.session, listing_id)
            if organization is None:
                raise no_such_organization(listing_id)
            name, checked_before = organization.name, organization.verified_on
            await listings.mark_organization_checked(work.session, listing_id, today, editor.name)
            field = "verified_on"
        await record_changes(
            work.session, kind.value, listing_id, ChangeKind.VERIFY, editor.name, {field: (checked_before, today)}
        )
    return Listing(kind, listing_id, name, today, domain.is_stale(today, today))


async def stale_listings(db: Database, today: date | None = None) -> list[Listing]:
    """Services and organisations nobody has checked for 12 months (never checked: added 12
    months ago or more), services first, each by name."""
    async with db.read() as session:
        return await listings.stale_listings(session, today or today_in_utc())


async def history(db: Database, resource_id: str) -> list[Change]:
    """Every change to a service, organisation, location or need: who, when and what, oldest first."""
    async with db.read() as session:
        return await changes_to(session, resource_id)


def listing_kind(text: str) -> ListingKind:
    """The kind of listing a page's address names; `NotFound` for any other word."""
    try:
        return ListingKind(text)
    except ValueError:
        raise NotFound("There is no such kind of listing.") from None
