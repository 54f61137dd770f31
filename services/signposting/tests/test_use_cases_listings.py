"""Listings checked with their providers, called directly on SQLite: marking one as checked, and
which are stale after twelve months."""

from datetime import date, timedelta

import pytest

from forum_shared.errors import NotFound
from signposting.domain import ListingKind
from signposting.schemas.hsds import OrganizationCreate
from signposting.schemas.services import ServiceCreate
from signposting.service import listings, organizations, services

UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def test_a_listing_just_added_is_not_stale_until_twelve_months_have_passed(db, editor):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Men's Shed"))
    service = await services.add_service(db, editor, ServiceCreate(name="Shed Saturdays", organization_id=org["id"]))
    assert await listings.stale_listings(db) == []
    next_year = date.today() + timedelta(days=370)
    stale = await listings.stale_listings(db, next_year)
    assert [(s.kind, s.name, s.stale, s.verified_on) for s in stale] == [
        (ListingKind.SERVICE, "Shed Saturdays", True, None),
        (ListingKind.ORGANIZATION, "Men's Shed", True, None),
    ]
    assert service.id == stale[0].id


async def test_a_service_checked_is_current_again_and_its_history_says_who_checked_it(db, editor, audited):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Men's Shed"))
    service = await services.add_service(
        db,
        editor,
        ServiceCreate(
            name="Shed Saturdays", organization_id=org["id"], assured_date=date.today() - timedelta(days=400)
        ),
    )
    assert [s.id for s in await listings.stale_listings(db)] == [service.id]
    checked = await listings.mark_checked(db, editor, ListingKind.SERVICE, service.id)
    assert (checked.verified_on, checked.stale) == (date.today(), False)
    assert await listings.stale_listings(db) == []
    last = (await listings.history(db, service.id))[-1]
    assert (last.last_action_type, last.field_name, last.updated_by) == ("verify", "assured_date", "Sam Staff")
    assert (await audited(db))[-1] == ("directory.listing_checked", f"service:{service.id}", {})


async def test_an_organisation_checked_records_the_day(db, editor):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Men's Shed"))
    checked = await listings.mark_checked(db, editor, ListingKind.ORGANIZATION, org["id"], date(2026, 11, 27))
    assert (checked.kind, checked.verified_on) == (ListingKind.ORGANIZATION, date(2026, 11, 27))
    overview = await organizations.organization_overview(db, org["id"])
    assert overview is not None and overview.record.verified_on == date(2026, 11, 27)


async def test_checking_a_listing_that_is_not_there_is_not_found_and_audits_nothing(db, editor, audited):
    for kind in ListingKind:
        with pytest.raises(NotFound):
            await listings.mark_checked(db, editor, kind, UNKNOWN)
    assert await audited(db) == []


def test_a_kind_of_listing_other_than_a_service_or_an_organisation_is_not_found():
    assert listings.listing_kind("service") is ListingKind.SERVICE
    with pytest.raises(NotFound, match="no such kind"):
        listings.listing_kind("location")
