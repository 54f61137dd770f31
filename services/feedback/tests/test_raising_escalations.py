"""Raising escalations and joining feedback to them, through the use cases directly (fast tier)."""

from datetime import date, timedelta

import pytest

from feedback.schemas import EscalationCreate, EscalationOfMany, FeedbackCreate, Resolution, ResponseCreate
from feedback.service import escalation, governance, intake, responses
from forum_shared.errors import Invalid, NotFound, RuleBroken
from forum_shared.events.feedback import FeedbackLinkedToEscalation, IssueEscalated

WHY = EscalationCreate(summary="Waits in Wisbech", reason="Two people, same gap")
TODAY = date(2027, 3, 1)


async def give(db, rules, group: str | None = None, theme: str = "waiting times", **fields):
    if group:
        fields.update(channel="community_group", community_group_id=group)
    return await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text=f"Long waits, says {group}", themes=[theme], **fields), rules
    )


async def clusters(db) -> list:
    return [e for e in await escalation.list_escalations(db, TODAY) if e.raised_by == "theme_cluster"]


async def test_staff_escalate_several_pieces_of_feedback_as_one_issue(db, rules, staff, recorded, audited):
    one = await give(db, rules, area="Wisbech", theme="carers")
    two = await give(db, rules, area="Wisbech")
    raised = await escalation.escalate_many(
        db, staff, EscalationOfMany(**WHY.model_dump(), feedback_ids=[one.id, two.id, one.id]), rules
    )
    assert (raised.raised_by, raised.status, raised.area) == ("staff", "raised", "Wisbech")
    assert sorted(raised.feedback_ids) == sorted([one.id, two.id])
    assert raised.themes == ("carers", "waiting times") and raised.linked_feedback_count == 2
    assert raised.respond_by > raised.raised_at.date()
    [event] = await recorded(IssueEscalated)
    assert (event.escalation_id, event.linked_feedback_count, event.respond_by) == (raised.id, 2, raised.respond_by)
    assert await audited("escalation.raised") == 1


async def test_feedback_from_different_areas_escalates_county_wide(db, rules, staff):
    one, two = await give(db, rules, area="Fenland"), await give(db, rules, area="Cambridge")
    raised = await escalation.escalate(db, staff, [one.id, two.id], WHY, rules)
    assert raised.area is None


async def test_escalating_feedback_that_is_not_there_is_not_found_and_raises_nothing(db, rules, staff, recorded):
    with pytest.raises(NotFound):
        await escalation.escalate(db, staff, ["nope"], WHY, rules)
    assert await recorded(IssueEscalated) == []


async def test_a_theme_cluster_is_raised_at_the_threshold_of_distinct_sources_and_not_before(db, rules, recorded):
    await give(db, rules, "group-a", area="Fenland")
    await give(db, rules, "group-a", area="Fenland")  # the same group again is still one source
    await give(db, rules, None)  # an individual is not a source for clusters
    await give(db, rules, "group-b", area="Fenland")
    await give(db, rules, "group-c", theme="carers")
    assert await clusters(db) == []

    third = await give(db, rules, "group-c", area="Fenland")
    [raised] = await clusters(db)
    assert (raised.cluster_theme, raised.themes, raised.source_count, raised.linked_feedback_count, raised.area) == (
        "waiting times", ("waiting times",), 3, 4, "Fenland"
    )
    assert third.id in raised.feedback_ids
    [event] = await recorded(IssueEscalated)
    assert event.raised_by == "theme_cluster" and event.source_count == 3


async def test_themes_off_the_managed_list_never_make_a_cluster(db, rules):
    for group in ("a", "b", "c"):
        await give(db, rules, group, theme="parking")
    assert await clusters(db) == []


async def test_a_new_source_joins_the_open_cluster_escalation_and_says_so(db, rules, recorded):
    for group in ("a", "b", "c"):
        await give(db, rules, group)
    [raised] = await clusters(db)
    fourth = await give(db, rules, "d")
    [after] = await clusters(db)
    assert after.id == raised.id and (after.linked_feedback_count, after.source_count) == (4, 4)
    [joined] = await recorded(FeedbackLinkedToEscalation)
    assert (joined.escalation_id, joined.feedback_ids, joined.linked_feedback_count, joined.source_count) == (
        raised.id, [fourth.id], 4, 4
    )


async def test_a_resolved_cluster_is_not_joined_and_its_voices_do_not_count_again(db, rules, staff):
    for group in ("a", "b", "c"):
        await give(db, rules, group)
    [raised] = await clusters(db)
    answer = ResponseCreate(you_said="Waits are long", we_did="Added clinics", outcome="change_made")
    await responses.respond_to_escalation(db, staff, raised.id, answer)
    await governance.resolve(db, staff, raised.id, Resolution(), TODAY)
    for group in ("d", "e"):
        await give(db, rules, group)
    assert len(await clusters(db)) == 1
    await give(db, rules, "f")
    newest = (await clusters(db))[0]
    assert newest.id != raised.id and newest.source_count == 3


async def test_staff_link_more_feedback_to_an_open_escalation(db, rules, staff, recorded, audited):
    one, two = await give(db, rules), await give(db, rules)
    raised = await escalation.escalate(db, staff, [one.id], WHY, rules)
    linked = await escalation.link_feedback(db, staff, raised.id, [two.id], TODAY)
    assert linked.feedback_ids == (one.id, two.id)
    [event] = await recorded(FeedbackLinkedToEscalation)
    assert event.feedback_ids == [two.id] and event.linked_feedback_count == 2
    assert await audited("escalation.feedback_linked") == 1


async def test_feedback_already_linked_is_refused(db, rules, staff):
    one = await give(db, rules)
    raised = await escalation.escalate(db, staff, [one.id], WHY, rules)
    with pytest.raises(Invalid, match="already linked"):
        await escalation.link_feedback(db, staff, raised.id, [one.id], TODAY)


async def test_a_resolved_escalation_takes_no_more_feedback(db, rules, staff):
    one, two = await give(db, rules), await give(db, rules)
    raised = await escalation.escalate(db, staff, [one.id], WHY, rules)
    await responses.respond_to_escalation(
        db, staff, raised.id, ResponseCreate(you_said="abc", we_did="def", outcome="no_change")
    )
    await governance.resolve(db, staff, raised.id, Resolution(), TODAY)
    with pytest.raises(RuleBroken, match="resolved"):
        await escalation.link_feedback(db, staff, raised.id, [two.id], TODAY)


async def test_linking_to_an_escalation_or_feedback_that_is_not_there_is_not_found(db, rules, staff):
    one = await give(db, rules)
    raised = await escalation.escalate(db, staff, [one.id], WHY, rules)
    with pytest.raises(NotFound):
        await escalation.link_feedback(db, staff, "nope", [one.id], TODAY)
    with pytest.raises(NotFound):
        await escalation.link_feedback(db, staff, raised.id, ["nope"], TODAY)


async def test_escalations_are_listed_by_state_and_overdue_as_of_a_day(db, rules, staff, governor):
    one = await give(db, rules)
    first = await escalation.escalate(db, staff, [one.id], WHY, rules)
    second = await escalation.escalate(db, staff, [one.id], WHY, rules)
    await responses.respond_to_escalation(
        db, staff, second.id, ResponseCreate(you_said="abc", we_did="def", outcome="no_change")
    )
    assert [e.id for e in await escalation.list_escalations(db, TODAY)] == [second.id, first.id]
    assert [e.id for e in await escalation.list_escalations(db, TODAY, "raised")] == [first.id]
    assert {e.id for e in await escalation.list_escalations(db, TODAY, "open")} == {first.id, second.id}
    late = first.respond_by + timedelta(days=1)
    [overdue] = await escalation.list_escalations(db, late, "overdue")
    assert overdue.id == first.id and overdue.overdue
    assert not (await escalation.get_escalation(db, second.id, late)).overdue
