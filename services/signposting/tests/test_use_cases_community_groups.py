"""Community groups, called directly on SQLite: registering, changing and withdrawing them, the
event each publishes once, the forum's visits recorded from `PopUpForumHeld`, and the upgrade that
gives groups already registered their listing."""

from datetime import date

import pytest
from sqlalchemy import text

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn
from forum_shared.migrations import upgrade
from signposting.app import MIGRATIONS
from signposting.domain import CommunityGroupStatus, ServiceQuery
from signposting.schemas.community_groups import CommunityGroupCreate, CommunityGroupUpdate
from signposting.schemas.hsds import OrganizationCreate
from signposting.service import community_groups, finding, needs, organizations

UNKNOWN = "00000000-0000-4000-8000-000000000000"


def held(group_id: str, on: date, pop_up_id: str = "p-1") -> PopUpForumHeld:
    return PopUpForumHeld(
        pop_up_id=pop_up_id, community_group_id=group_id, held_on=on, hours=2, facilitator_member_ids=["m-1", "m-2"]
    )


async def test_registering_a_group_lists_it_by_area_and_publishes_its_id_name_and_areas(db, editor, recorded, audited):
    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Wisbech Hearing Voices", areas=["Fenland"], phone="01945 111111")
    )
    assert (group.status, group.areas, group.phone, group.pop_up_count) == (
        CommunityGroupStatus.ACTIVE,
        ["Fenland"],
        "01945 111111",
        0,
    )
    assert await recorded(db, CommunityGroupRegistered) == [
        CommunityGroupRegistered(community_group_id=group.id, name="Wisbech Hearing Voices", areas=["Fenland"])
    ]
    for area in ("Fenland", "Wisbech", "PE13"):
        assert [g.id for g in await community_groups.find_community_groups(db, area)] == [group.id], area
    assert await community_groups.find_community_groups(db, "Cambridge") == []
    assert (await audited(db))[-1] == ("community_group.registered", f"organization:{group.id}", {})


async def test_a_change_of_name_or_areas_is_published_once_and_other_details_are_not(db, editor, recorded, audited):
    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Walkers", areas=["March"])
    )
    changed = await community_groups.change_community_group(
        db, editor, group.id, CommunityGroupUpdate(name="March Walkers", areas=["March", "Chatteris"])
    )
    await community_groups.change_community_group(db, editor, group.id, CommunityGroupUpdate(description="Sundays."))
    assert changed.areas == ["Chatteris", "March"]
    assert await recorded(db, CommunityGroupUpdated) == [
        CommunityGroupUpdated(community_group_id=group.id, name="March Walkers", areas=["Chatteris", "March"])
    ]
    assert (await audited(db))[-1] == (
        "community_group.changed",
        f"organization:{group.id}",
        {"fields": ["description"]},
    )


async def test_a_withdrawn_group_stays_an_organisation_and_cannot_be_withdrawn_or_changed_again(db, editor, recorded):
    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Walkers", areas=["March"])
    )
    withdrawn = await community_groups.withdraw_community_group(db, editor, group.id)
    assert withdrawn.status == CommunityGroupStatus.WITHDRAWN
    assert await recorded(db, CommunityGroupWithdrawn) == [CommunityGroupWithdrawn(community_group_id=group.id)]
    assert await community_groups.find_community_groups(db, "March") == []
    assert await organizations.organization(db, group.id) is not None
    with pytest.raises(NotFound, match="no active community group"):
        await community_groups.withdraw_community_group(db, editor, group.id)
    with pytest.raises(NotFound, match="no active community group"):
        await community_groups.change_community_group(db, editor, group.id, CommunityGroupUpdate(name="Back"))


async def test_an_organisation_marked_as_a_group_again_is_registered_again(db, editor, recorded):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Ely Carers Circle"))
    await community_groups.mark_community_group(db, editor, org["id"], ["East Cambridgeshire"])
    await community_groups.mark_community_group(db, editor, org["id"], ["East Cambridgeshire", "Ely"])
    await community_groups.withdraw_community_group(db, editor, org["id"])
    again = await community_groups.mark_community_group(db, editor, org["id"], ["Ely"])
    assert again.status == CommunityGroupStatus.ACTIVE
    assert [e.areas for e in await recorded(db, CommunityGroupRegistered)] == [["East Cambridgeshire"], ["Ely"]]
    assert [e.areas for e in await recorded(db, CommunityGroupUpdated)] == [["East Cambridgeshire", "Ely"]]
    with pytest.raises(NotFound, match="no organisation"):
        await community_groups.mark_community_group(db, editor, UNKNOWN, ["Ely"])


async def test_an_organisation_that_never_was_a_group_is_not_found_as_one(db, editor):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Listening Trust"))
    with pytest.raises(NotFound, match="not a community group"):
        await community_groups.community_group(db, org["id"])


async def test_a_pop_up_forum_counts_once_each_and_the_latest_held_is_the_last_visit(db, editor):
    group = await community_groups.register_community_group(
        db, editor, CommunityGroupCreate(name="Sanctuary", areas=["St Neots"])
    )
    for event in (held(group.id, date(2026, 11, 20), "p-1"), held(group.id, date(2026, 10, 1), "p-2")):
        async with db.transaction() as session:
            await community_groups.record_pop_up_visit(session, event)
    found = await community_groups.community_group(db, group.id)
    assert (found.last_visited_on, found.pop_up_count) == (date(2026, 11, 20), 2)


async def test_a_pop_up_forum_with_a_group_not_in_this_directory_changes_nothing(db, editor):
    org = await organizations.add_organization(db, editor, OrganizationCreate(name="Not a group"))
    for group_id in (UNKNOWN, org["id"]):
        async with db.transaction() as session:
            await community_groups.record_pop_up_visit(session, held(group_id, date(2026, 11, 20)))
    overview = await organizations.organization_overview(db, org["id"])
    assert overview is not None and overview.record.pop_up_count == 0


async def test_the_upgrade_describes_existing_listings_and_gives_existing_groups_their_listing(tmp_path):
    db = Database(f"sqlite+aiosqlite:///{tmp_path / 'before.db'}")
    try:
        await upgrade(db.engine, MIGRATIONS, "0001")
        async with db.engine.begin() as conn:
            for org_id, name, description, group, status in (
                ("11111111-1111-4111-8111-111111111111", "Ramsey Friends", None, True, "active"),
                ("22222222-2222-4222-8222-222222222222", "Old Friends", "  ", True, "withdrawn"),
                ("33333333-3333-4333-8333-333333333333", "Fenland Trust", "", False, None),
            ):
                await conn.execute(
                    text(
                        "INSERT INTO organizations (id, name, description, last_modified, created_at, community_group,"
                        " community_status, pop_up_count) VALUES (:id, :name, :d, :now, :now, :g, :s, 0)"
                    ),
                    {"id": org_id, "name": name, "d": description, "g": group, "s": status, "now": "2026-01-01 09:00"},
                )
            await conn.execute(
                text("INSERT INTO organization_areas VALUES (:id, 'Ramsey', 'ramsey')"),
                {"id": "11111111-1111-4111-8111-111111111111"},
            )
            await conn.execute(text("INSERT INTO taxonomy_terms (id, name) VALUES (:id, 'Carers')"), {"id": UNKNOWN})
        await upgrade(db.engine, MIGRATIONS)

        described = await organizations.organization(db, "33333333-3333-4333-8333-333333333333")
        assert described is not None and described["description"].startswith("Fenland Trust is listed")
        assert (await needs.term(db, UNKNOWN))["description"] == "Help with carers."
        ramsey = await community_groups.community_group(db, "11111111-1111-4111-8111-111111111111")
        assert ramsey.description == "Ramsey Friends is a community group meeting people in Ramsey."
        found = await finding.find_services(db, ServiceQuery(search="ramsey friends", area="Ramsey"))
        assert [(s["id"], s["status"]) for s in found.services] == [(ramsey.service_id, "active")]
        old = await community_groups.community_group(db, "22222222-2222-4222-8222-222222222222")
        found = await finding.find_services(db, ServiceQuery(search="old friends"))
        assert [(s["id"], s["status"]) for s in found.services] == [(old.service_id, "inactive")]
    finally:
        await db.dispose()
