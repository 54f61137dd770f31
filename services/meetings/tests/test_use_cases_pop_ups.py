"""Pop-up forums: a community group from signposting, exactly two current role holders from
membership, where and in which area they are held, and a record of what happened. The use cases
called directly on SQLite."""

from datetime import UTC, datetime, timedelta

import pytest

from forum_shared.errors import Conflict, Invalid, NotFound, RuleBroken
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.signposting import CommunityGroupWithdrawn
from meetings.domain import PopUpStatus
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.pop_ups import PopUpForumCreate, PopUpForumHeldCreate
from meetings.service import directory, pop_ups
from meetings.service.upcoming import upcoming

AREAS = ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough", "South Cambridgeshire"]


def planned_for(group_id: str, facilitators: list[str], days: float = 7, **fields) -> PopUpForumCreate:
    start = datetime.now(UTC) + timedelta(days=days)
    return PopUpForumCreate(community_group_id=group_id, facilitator_member_ids=facilitators, starts_at=start,
                            ends_at=start + timedelta(hours=1.5), topics=["The new crisis line"], **fields)


async def test_a_pop_up_without_an_area_is_in_the_first_of_its_groups_areas_that_the_forum_knows(
    db, staff, known_here
):
    await known_here(db, group=("grp-1", "Wisbech Carers", ["Wisbech", "Fenland", "PE13"]), holders=["a", "b"])
    pop_up = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)
    assert pop_up.area == "Fenland"
    assert [p.id for p in await upcoming(db, "Fenland")] == [pop_up.id]


async def test_a_pop_up_whose_group_names_no_forum_area_shows_the_areas_its_group_covers(db, staff, known_here):
    await known_here(db, group=("grp-1", "Ramsey Men's Shed", ["Ramsey", "PE26"]), holders=["a", "b"])
    pop_up = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)
    assert (pop_up.area, pop_up.area_shown) == (None, "Ramsey, PE26")
    assert [p.id for p in await upcoming(db, "Ramsey")] == [pop_up.id]


async def test_a_pop_up_without_a_venue_of_its_own_is_where_its_group_usually_meets(db, staff, known_here):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["a", "b"])
    at_the_group = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)
    elsewhere = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"], venue="Guildhall"), AREAS)
    assert (at_the_group.place, elsewhere.place) == ("Where the group usually meets", "Guildhall")
    assert (at_the_group.title, at_the_group.community_group_areas) == ("Pop-up forum at Lifecraft", ("Cambridge",))


async def test_an_area_given_for_a_pop_up_must_be_one_of_the_forums(db, staff, known_here):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["a", "b"])
    given = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"], area="fenland"), AREAS)
    assert given.area == "Fenland"
    with pytest.raises(RuleBroken, match="not one of the forum's areas"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"], area="Norfolk"), AREAS)


async def test_a_pop_up_needs_exactly_two_different_current_role_holders(db, staff, known_here, audited):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["a", "b"])
    with pytest.raises(RuleBroken, match="exactly two facilitators who hold involvement roles; 1 was given"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a"]), AREAS)
    with pytest.raises(RuleBroken, match="two different members"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "a"]), AREAS)
    with pytest.raises(RuleBroken, match="Member zed does not currently hold an involvement role"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "zed"]), AREAS)
    assert await audited(db) == []


async def test_a_pop_up_needs_a_group_still_listed_in_the_directory(db, staff, known_here):
    await known_here(db, group=("grp-1", "Wisbech Carers", ["Fenland"]), holders=["a", "b"])
    with pytest.raises(Invalid, match="no community group with id grp-nobody"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-nobody", ["a", "b"]), AREAS)
    async with db.transaction() as session:
        withdrawal = CommunityGroupWithdrawn(community_group_id="grp-1")
        await directory.record_community_group_withdrawn(session, withdrawal, datetime.now(UTC) + timedelta(seconds=1))
    with pytest.raises(Invalid, match="Wisbech Carers has left the signposting directory"):
        await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)


async def test_a_held_pop_up_tells_feedback_and_membership_who_facilitated_and_how_many_came(
    db, staff, known_here, recorded, audited
):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["dee", "eli", "fay"])
    planned = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["dee", "eli"], days=-1), AREAS)
    early = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["dee", "eli"], days=3), AREAS)
    with pytest.raises(Conflict, match="not started yet"):
        await pop_ups.record_pop_up_held(db, staff, early.id, PopUpForumHeldCreate(participants=3, shared="x"))
    held = await pop_ups.record_pop_up_held(db, staff, planned.id, PopUpForumHeldCreate(
        participants=14, shared="Crisis line", facilitator_member_ids=["dee", "fay"]))
    assert (held.status, held.participants, held.hours, held.facilitator_member_ids) == (
        PopUpStatus.held, 14, 1.5, ("dee", "fay"))
    [event] = await recorded(db, PopUpForumHeld)
    assert (event.community_group_id, event.facilitator_member_ids, event.area) == (
        "grp-1",
        ["dee", "fay"],
        "Cambridge",
    )
    with pytest.raises(Conflict, match="already held"):
        await pop_ups.record_pop_up_held(db, staff, planned.id, PopUpForumHeldCreate(participants=1, shared="x"))
    assert ("pop_up.held", f"pop_up:{planned.id}", {}) in await audited(db)


async def test_a_planned_pop_up_can_be_cancelled_once(db, staff, known_here):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["a", "b"])
    planned = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)
    cancelled = await pop_ups.cancel_pop_up(db, staff, planned.id, CancellationCreate(reason="Room closed"))
    assert (cancelled.status, cancelled.cancel_reason) == (PopUpStatus.cancelled, "Room closed")
    with pytest.raises(Conflict, match="already cancelled"):
        await pop_ups.cancel_pop_up(db, staff, planned.id, CancellationCreate())
    with pytest.raises(NotFound):
        await pop_ups.cancel_pop_up(db, staff, "nope", CancellationCreate())


async def test_only_staff_see_who_facilitates_a_pop_up(db, staff, known_here):
    await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["a", "b"])
    planned = await pop_ups.plan_pop_up(db, staff, planned_for("grp-1", ["a", "b"]), AREAS)
    assert (await pop_ups.get_pop_up(db, planned.id)).facilitator_member_ids == ()
    assert (await pop_ups.get_pop_up(db, planned.id, staff)).facilitator_member_ids == ("a", "b")
    assert [p.facilitator_member_ids for p in await pop_ups.list_pop_ups(db, None, "grp-1")] == [()]
