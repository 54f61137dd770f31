"""Services and needs, called directly on SQLite: a service with everything under it, changes that
replace a list and keep the rest, and needs in the forum's own vocabulary."""

import pytest

from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.unit_of_work import unit_of_work
from signposting.domain import ServiceQuery, ServiceStatus
from signposting.schemas.hsds import OrganizationCreate, TaxonomyCreate, TaxonomyTermCreate
from signposting.schemas.services import ServiceCreate, ServiceUpdate
from signposting.service import finding, listings, needs, organizations, services

UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def _org(db, editor) -> str:
    return (await organizations.add_organization(db, editor, OrganizationCreate(name="Huntingdon Men's Shed")))["id"]


async def test_a_service_is_added_with_its_times_areas_and_contacts_and_read_back_whole(db, editor, audited):
    org_id = await _org(db, editor)
    added = await services.add_service(
        db,
        editor,
        ServiceCreate(
            name="Shed Wednesdays",
            organization_id=org_id,
            service_areas=[{"name": "PE29"}],
            schedules=[{"freq": "WEEKLY", "byday": "WE", "opens_at": "14:00"}],
            contacts=[{"name": "Coordinator", "phones": [{"number": "01480 000000"}]}],
        ),
    )
    assert (added.name, added.organization_id, added.status) == ("Shed Wednesdays", org_id, ServiceStatus.ACTIVE)
    assert added.hsds["schedules"][0]["opens_at"] == "14:00:00"
    assert added.hsds["contacts"][0]["phones"][0]["number"] == "01480 000000"
    assert added.hsds["organization"]["name"] == "Huntingdon Men's Shed"
    assert (await services.service(db, added.id)) == added
    assert (await audited(db))[-1] == ("directory.service_added", f"service:{added.id}", {})


async def test_a_service_of_an_organisation_location_or_need_not_in_the_directory_is_refused(db, editor, audited):
    org_id = await _org(db, editor)
    for fields, words in (
        ({"organization_id": UNKNOWN}, "no organisation"),
        ({"organization_id": org_id, "taxonomy_term_ids": [UNKNOWN]}, "no taxonomy term"),
        ({"organization_id": org_id, "service_at_locations": [{"location_id": UNKNOWN}]}, "no location"),
    ):
        with pytest.raises(Invalid, match=words):
            await services.add_service(db, editor, ServiceCreate(name="Ghost", **fields))
    assert [a[0] for a in await audited(db)] == ["directory.organization_added"]  # nothing half-saved


async def test_a_service_id_already_in_the_directory_is_a_conflict(db, editor):
    added = await services.add_service(db, editor, ServiceCreate(name="Shed", organization_id=await _org(db, editor)))
    with pytest.raises(Conflict, match="PATCH"):
        await services.add_service(
            db, editor, ServiceCreate(id=added.id, name="Twin", organization_id=added.organization_id)
        )


async def test_a_change_replaces_the_lists_given_keeps_the_rest_and_saving_the_same_again_is_no_change(db, editor):
    added = await services.add_service(
        db,
        editor,
        ServiceCreate(
            name="Shed",
            organization_id=await _org(db, editor),
            schedules=[{"byday": "WE"}],
            contacts=[{"name": "Coordinator"}],
        ),
    )
    changed = await services.change_service(
        db, editor, added.id, ServiceUpdate(name="Shed Days", schedules=[{"byday": "WE,FR"}])
    )
    assert (changed.name, changed.hsds["schedules"][0]["byday"], changed.hsds["contacts"][0]["name"]) == (
        "Shed Days",
        "WE,FR",
        "Coordinator",
    )
    await services.change_service(db, editor, added.id, ServiceUpdate(name="Shed Days"))
    assert [c.field_name for c in await listings.history(db, added.id)] == ["*", "name", "schedules"]


async def test_changing_a_service_that_is_not_there_is_not_found(db, editor):
    with pytest.raises(NotFound, match="no service"):
        await services.change_service(db, editor, UNKNOWN, ServiceUpdate(name="Ghost"))
    assert await services.service(db, UNKNOWN) is None


async def test_renaming_a_need_finds_its_services_by_the_new_name(db, editor, small_directory):
    ids = await small_directory(db)
    renamed = TaxonomyTermCreate(id=ids["Carers"], name="Caring for someone", taxonomy_id=ids["taxonomy"])
    async with unit_of_work(db, editor.user) as work:  # as an import renames it
        await needs.save_taxonomy_term(work, renamed, editor.name)
    found = await finding.find_services(db, ServiceQuery(search="caring"))
    assert [s["name"] for s in found.services] == ["March Carers Group"]


async def test_a_need_of_a_taxonomy_not_in_the_directory_is_refused(db, editor):
    with pytest.raises(Invalid, match="no taxonomy"):
        await needs.add_taxonomy_term(db, editor, TaxonomyTermCreate(name="Housing", taxonomy_id=UNKNOWN))
    with pytest.raises(NotFound, match="no taxonomy term"):
        await needs.term(db, UNKNOWN)


async def test_a_need_added_by_staff_joins_the_forums_vocabulary_made_the_first_time(db, editor, audited):
    first = await needs.add_forum_need(db, editor, TaxonomyTermCreate(name="Bereavement"))
    second = await needs.add_forum_need(db, editor, TaxonomyTermCreate(name="Losing a child", parent_id=first))
    child = await needs.term(db, second)
    assert (child["taxonomy"], child["parent_id"], child["description"]) == (
        needs.FORUM_NEEDS,
        first,
        "Help with losing a child.",
    )
    assert [a[0] for a in await audited(db)] == [
        "directory.taxonomy_added",
        "directory.need_added",
        "directory.need_added",
    ]
    choices = await needs.need_choices(db)
    assert [(c.label, c.nested) for c in choices] == [("Bereavement", False), ("Bereavement: Losing a child", True)]


async def test_taxonomies_and_needs_are_listed_a_page_at_a_time(db, editor):
    taxonomy = await needs.add_taxonomy(db, editor, TaxonomyCreate(name="Needs"))
    for name in ("Housing", "Debt", "Loneliness"):
        await needs.add_taxonomy_term(db, editor, TaxonomyTermCreate(name=name, taxonomy_id=taxonomy["id"]))
    page = await needs.terms_page(db, 2, 2, taxonomy_id=taxonomy["id"])
    assert ([t["name"] for t in page.items], page.total) == (["Loneliness"], 3)
    assert (await needs.taxonomies_page(db, 1, 20)).total == 1
    with pytest.raises(Conflict):
        await needs.add_taxonomy(db, editor, TaxonomyCreate(id=taxonomy["id"], name="Twin"))
