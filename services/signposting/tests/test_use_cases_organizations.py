"""Organisations and locations, called directly on SQLite: adding, changing, reading, searching,
and the history each change leaves."""

import pytest

from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events.signposting import CommunityGroupUpdated
from signposting.schemas.community_groups import CommunityGroupCreate
from signposting.schemas.hsds import LocationCreate, LocationUpdate, OrganizationCreate, OrganizationUpdate
from signposting.service import community_groups, listings, locations, organizations

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def address(postcode: str = "PE13 1EU") -> dict:
    return {
        "address_1": "1 High Street",
        "city": "Wisbech",
        "state_province": "Cambridgeshire",
        "postal_code": postcode,
        "country": "GB",
    }


async def test_an_organisation_added_is_read_back_as_open_referral_shows_it_and_audited(db, editor, audited):
    added = await organizations.add_organization(
        db, editor, OrganizationCreate(name="Ely Carers Circle", phones=[{"number": "01353 000000"}])
    )
    assert (added["name"], added["description"], [p["number"] for p in added["phones"]]) == (
        "Ely Carers Circle",
        "Ely Carers Circle is listed in the Cambridgeshire and Peterborough directory: contact them to find out more.",
        ["01353 000000"],
    )  # Open Referral UK requires a description: without one, the organisation is said to be listed
    assert await organizations.organization(db, added["id"]) == added
    assert await audited(db) == [("directory.organization_added", f"organization:{added['id']}", {})]


async def test_an_organisation_id_already_in_the_directory_is_a_conflict(db, editor):
    added = await organizations.add_organization(db, editor, OrganizationCreate(name="Ely Carers Circle"))
    with pytest.raises(Conflict, match="PATCH"):
        await organizations.add_organization(db, editor, OrganizationCreate(id=added["id"], name="Twin"))


async def test_changing_an_organisation_changes_only_the_fields_given_and_keeps_its_history(db, editor, audited):
    added = await organizations.add_organization(
        db, editor, OrganizationCreate(name="Men's Shed", description="Making.")
    )
    changed = await organizations.change_organization(db, editor, added["id"], OrganizationUpdate(name="Makers' Shed"))
    assert (changed["name"], changed["description"]) == ("Makers' Shed", "Making.")
    history = await listings.history(db, added["id"])
    assert [(c.last_action_type, c.field_name, c.previous_value, c.replacement_value) for c in history] == [
        ("create", "*", "", "Men's Shed"),
        ("update", "name", "Men's Shed", "Makers' Shed"),
    ]
    assert (await audited(db))[-1] == (
        "directory.organization_changed",
        f"organization:{added['id']}",
        {"fields": ["name"]},
    )


async def test_changing_an_organisation_that_is_not_there_is_not_found_and_audits_nothing(db, editor, audited):
    with pytest.raises(NotFound, match="no organisation"):
        await organizations.change_organization(db, editor, UNKNOWN, OrganizationUpdate(name="Ghost"))
    assert await audited(db) == []


async def test_renaming_an_active_community_group_as_an_organisation_tells_the_forum(db, editor, recorded):
    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Walkers", areas=["March"])
    )
    await organizations.change_organization(db, editor, group.id, OrganizationUpdate(name="March Walkers"))
    assert await recorded(db, CommunityGroupUpdated) == [
        CommunityGroupUpdated(community_group_id=group.id, name="March Walkers", areas=["March"])
    ]


async def test_one_search_finds_organisations_by_every_word_for_the_open_api_and_the_staff_pages(db, editor):
    for name, about in (
        ("Fenland Wellbeing Network", "Peer support"),
        ("Carers Trust", "For carers in Fenland"),
        ("Ramsey Lunch Club", "A hot meal"),
    ):
        await organizations.add_organization(db, editor, OrganizationCreate(name=name, description=about))
    page = await organizations.organizations_page(db, "fenland", 1, 20)
    assert ([o["name"] for o in page.items], page.total) == (["Carers Trust", "Fenland Wellbeing Network"], 2)
    listed = await organizations.search_organizations(db, "fenland", 0, 25)
    assert [o.name for o in listed] == [o["name"] for o in page.items]
    assert await organizations.count_organizations(db, "fenland peer") == 1
    assert await organizations.count_organizations(db, "100%") == 0  # LIKE's wildcards are taken literally


async def test_an_organisation_overview_has_its_services_its_group_and_its_latest_changes(db, editor, small_directory):
    ids = await small_directory(db)
    overview = await organizations.organization_overview(db, ids["org"], with_history=True)
    assert overview is not None and overview.group is None
    assert [s["name"] for s in overview.services] == [
        "Cambridge Hearing Voices Group",
        "Countywide Listening Line",
        "Wisbech Wellbeing Cafe",
    ]
    assert [c.field_name for c in overview.changes] == ["*"]
    assert await organizations.organization_overview(db, UNKNOWN) is None


async def test_a_location_is_placed_by_its_postcode_district_when_it_has_no_coordinates(db, editor):
    added = await locations.add_location(
        db, editor, LocationCreate(name="March Centre", addresses=[address("PE15 8AN")])
    )
    assert "latitude" not in added and added["addresses"][0]["postal_code"] == "PE15 8AN"
    assert added == await locations.location(db, added["id"])


async def test_a_location_change_replaces_a_list_given_and_keeps_the_rest(db, editor):
    added = await locations.add_location(
        db, editor, LocationCreate(name="Library", addresses=[address()], accessibility=[{"description": "Step-free"}])
    )
    changed = await locations.change_location(db, editor, added["id"], LocationUpdate(name="Wisbech Library"))
    assert (changed["name"], changed["accessibility"][0]["description"]) == ("Wisbech Library", "Step-free")
    with pytest.raises(NotFound, match="no location"):
        await locations.change_location(db, editor, UNKNOWN, LocationUpdate(name="Ghost"))


async def test_a_location_of_an_organisation_not_in_the_directory_is_refused(db, editor):
    with pytest.raises(Invalid, match="no organisation"):
        await locations.add_location(db, editor, LocationCreate(name="Hall", organization_id=UNKNOWN))
    with pytest.raises(NotFound, match="no location"):
        await locations.location(db, UNKNOWN)
