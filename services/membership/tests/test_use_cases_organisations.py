"""Partner organisations and their representatives, and the diversity report: the use cases called
directly on SQLite."""

import pytest

from forum_shared.errors import Conflict, NotFound
from forum_shared.events import PartnerOrganisationJoined
from membership.schemas import OrganisationCreate, RepresentativeCreate
from membership.service import members, organisations, reports


async def register(db, staff, name: str = "SUN Network", **details):
    return await organisations.register_organisation(
        db, staff, OrganisationCreate(name=name, kind=details.pop("kind", "Peer support network"), **details)
    )


async def test_a_partner_organisation_joins_and_other_services_hear_of_it(db, staff, recorded, audited):
    sun = await register(db, staff, website="https://sun.example.org", area="peterborough", description="  User-led ")
    assert (sun.name, sun.kind, sun.area, sun.description, sun.website, sun.representatives) == (
        "SUN Network", "Peer support network", "Peterborough", "User-led", "https://sun.example.org/", ()
    )
    [event] = await recorded(db, PartnerOrganisationJoined)
    assert (event.organisation_id, event.name, event.kind) == (sun.id, "SUN Network", "Peer support network")
    assert ("account:staff-1", "organisation.registered", f"organisation:{sun.id}", {}) in await audited(db)


async def test_an_organisation_is_registered_once_whatever_the_case_of_its_name(db, staff, recorded):
    await register(db, staff, "Lifecraft", kind="Charity")
    with pytest.raises(Conflict, match="already a partner organisation"):
        await register(db, staff, "  LIFECRAFT ", kind="Charity")
    assert [o.name for o in await organisations.list_organisations(db)] == ["Lifecraft"]
    assert len(await recorded(db, PartnerOrganisationJoined)) == 1


async def test_organisations_are_listed_by_name(db, staff):
    for name in ("Mind", "fenland Carers", "Lifecraft"):
        await register(db, staff, name)
    assert [o.name for o in await organisations.list_organisations(db)] == ["fenland Carers", "Lifecraft", "Mind"]


async def test_a_current_member_represents_an_organisation_once_and_it_shows_on_their_page(db, staff, member, audited):
    sun, dee = await register(db, staff), await member("Dee")
    added = await organisations.add_representative(
        db, staff, sun.id, RepresentativeCreate(member_id=dee.id, position=" Coordinator ")
    )
    assert [(r.display_name, r.position) for r in added.representatives] == [("Dee", "Coordinator")]
    with pytest.raises(Conflict, match="already represents"):
        await organisations.add_representative(db, staff, sun.id, RepresentativeCreate(member_id=dee.id))
    [representing] = (await members.member_overview(db, dee.id)).representing
    assert (representing.organisation_id, representing.organisation_name) == (sun.id, "SUN Network")
    details = {"member_id": dee.id}
    added_entry = ("account:staff-1", "organisation.representative_added", f"organisation:{sun.id}", details)
    assert added_entry in await audited(db)


async def test_someone_who_left_or_never_joined_cannot_represent_an_organisation(db, staff, member):
    sun, eve = await register(db, staff), await member("Eve")
    await members.leave(db, staff, eve.id)
    with pytest.raises(Conflict, match="has left the forum"):
        await organisations.add_representative(db, staff, sun.id, RepresentativeCreate(member_id=eve.id))
    with pytest.raises(NotFound, match="no member"):
        await organisations.add_representative(db, staff, sun.id, RepresentativeCreate(member_id="nobody"))
    with pytest.raises(NotFound, match="no partner organisation"):
        await organisations.add_representative(db, staff, "nowhere", RepresentativeCreate(member_id=eve.id))


async def test_a_member_stops_representing_an_organisation(db, staff, member, audited):
    sun, dee = await register(db, staff), await member("Dee")
    await organisations.add_representative(db, staff, sun.id, RepresentativeCreate(member_id=dee.id))
    removed = await organisations.remove_representative(db, staff, sun.id, dee.id)
    assert removed.representatives == ()
    with pytest.raises(NotFound, match="does not represent"):
        await organisations.remove_representative(db, staff, sun.id, dee.id)
    details = {"member_id": dee.id}
    assert [a for a in await audited(db) if a[1] == "organisation.representative_removed"] == [
        ("account:staff-1", "organisation.representative_removed", f"organisation:{sun.id}", details)
    ]


async def test_diversity_counts_cover_current_members_and_hide_small_numbers(db, staff, member):
    people = (
        [{"area": "Fenland", "connections": ["Carer"]}] * 6
        + [{"area": f"PE1 {n}AB", "connections": ["Lived experience", "Carer"]} for n in range(5)]
        + [{"area": "Cambridge", "connections": ["retired nurse"]}] * 2
        + [{"area": "Ely"}]
        + [{}] * 3
    )
    joined = [await member(f"Person {n}", **details) for n, details in enumerate(people)]
    await members.leave(db, staff, joined[0].id)
    report = await reports.diversity(db)
    assert (report.members.count, report.small_count_threshold) == (16, 5)
    assert [(r.label, r.count) for r in report.by_area] == [
        ("Fenland", 5), ("PE1", 5), ("Not given", None), ("Cambridge", None), ("Ely", None)
    ]
    assert [(r.label, r.count) for r in report.by_connection] == [
        ("Carer", 10), ("Lived experience", 5), ("Not given", None), ("Described in their own words", None)
    ]


async def test_a_small_forum_shows_no_counts_at_all(db, member):
    for n in range(3):
        await member(f"P{n}", area="Fenland")
    report = await reports.diversity(db)
    assert (report.members.count, report.members.shown) == (None, "fewer than 5")
    assert [(r.label, r.count) for r in report.by_area] == [("Fenland", None)]
