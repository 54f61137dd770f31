"""Raising escalations and joining feedback to them, through the use cases directly (fast tier)."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

import pytest

from feedback.schemas import (
    EscalationCreate,
    EscalationOfMany,
    FeedbackCreate,
    FeedbackTriage,
    PartnerFeedbackCreate,
    Resolution,
    ResponseCreate,
    ViewCreate,
    ViewsCreate,
)
from feedback.service import escalation, governance, intake, reactions, reports, responses, triage
from forum_shared.errors import Invalid, NotFound, RuleBroken
from forum_shared.events.feedback import FeedbackLinkedToEscalation, FeedbackReceived, IssueEscalated
from forum_shared.events.signposting import CommunityGroupWithdrawn
from forum_shared.identity.principal import Principal

WHY = EscalationCreate(summary="Waits in Wisbech", notes_for_governors="Two people, same gap")
TODAY = date(2027, 3, 1)
STAFF = Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")


async def give(db, rules, group: str | None = None, theme: str = "waiting times", **fields):
    """A concern about `theme`: a listed group's view as staff record it, or the public's own."""
    fields.setdefault("polarity", "negative")
    if group:
        fields.update(channel="community_group", community_group_id=group)
    return await intake.receive_feedback(
        db, STAFF if group else "anonymous",
        FeedbackCreate(text=f"Long waits, says {group}", themes=[theme], **fields), rules,
    )


@pytest.fixture(autouse=True)
async def groups(directory):
    await directory(*"abcdef", "group-a", "group-b", "group-c")


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
    await give(db, rules, None, area="Fenland")  # the public is one source, however many write
    await give(db, rules, None, area="Fenland")
    await give(db, rules, "group-c", theme="carers")
    assert await clusters(db) == []

    third = await give(db, rules, "group-b", area="Fenland")
    [raised] = await clusters(db)
    assert (raised.cluster_theme, raised.themes, raised.source_count, raised.linked_feedback_count, raised.area) == (
        "waiting times", ("waiting times",), 3, 5, "Fenland"
    )
    assert third.id in raised.feedback_ids
    [event] = await recorded(IssueEscalated)
    assert event.raised_by == "theme_cluster" and event.source_count == 3
    assert event.reason == raised.reason and event.reason.startswith(
        "3 distinct verified sources (2 community groups, the public as one source) raised “waiting times” as a "
        "concern within 30 days; the forum escalates at 3."
    )


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


async def test_anonymous_feedback_cannot_claim_to_be_community_groups_and_raises_nothing(db, rules, recorded):
    for _ in range(3):
        made_up = FeedbackCreate(
            text="Long waits", themes=["waiting times"], polarity="negative", channel="community_group",
            community_group_id=str(uuid.uuid4()),
        )
        with pytest.raises(RuleBroken, match="Only forum staff, or a partner organisation's program"):
            await intake.receive_feedback(db, "anonymous", made_up, rules)
    claims_a_listed_group = FeedbackCreate(text="Long waits", themes=["waiting times"], community_group_id="a")
    with pytest.raises(RuleBroken, match="may record a community group's view"):
        await intake.receive_feedback(db, "anonymous", claims_a_listed_group, rules)
    assert await recorded(IssueEscalated) == [] and await recorded(FeedbackReceived) == []


async def test_a_group_the_directory_does_not_list_is_refused_from_staff_and_partners_too(
    db, rules, staff, partner, recorded
):
    unknown = FeedbackCreate(text="Long waits", community_group_id="grp-nobody-knows")
    with pytest.raises(RuleBroken, match="does not list a community group with id grp-nobody-knows"):
        await intake.receive_feedback(db, staff, unknown, rules)
    with pytest.raises(RuleBroken, match="GET /community-groups"):
        await intake.receive_from_partner(db, partner, PartnerFeedbackCreate(text="Hi", community_group_id="x"), rules)
    async with db.transaction() as session:
        await reactions.note_withdrawal(session, CommunityGroupWithdrawn(community_group_id="a"), datetime.now(UTC))
    with pytest.raises(RuleBroken, match="has left it"):
        await intake.receive_feedback(db, staff, FeedbackCreate(text="Hi", community_group_id="a"), rules)
    assert await recorded(FeedbackReceived) == []


async def test_praise_from_three_groups_never_escalates_and_is_counted_as_whats_working(db, rules, staff):
    for group in "abc":
        await give(db, rules, group, theme="involvement", polarity="positive")
    assert await escalation.list_escalations(db, TODAY) == []
    report = await reports.summary(db, rules, TODAY)
    assert (report.praise, report.whats_working) == (3, {"involvement": 3})
    assert ["whats_working", "involvement", "3"] in list(csv.reader(io.StringIO(reports.summary_csv(report))))


async def test_praise_does_not_join_an_open_cluster_but_a_concern_does(db, rules):
    for group in "abc":
        await give(db, rules, group)
    [raised] = await clusters(db)
    await give(db, rules, "d", polarity="positive")
    await give(db, rules, "e", polarity=None)
    assert (await clusters(db))[0].linked_feedback_count == 3
    await give(db, rules, "f", polarity="mixed")
    assert (await clusters(db))[0].linked_feedback_count == 4


async def test_a_concern_staff_mark_at_triage_counts_then(db, rules, staff):
    for group in "ab":
        await give(db, rules, group)
    unsaid = await give(db, rules, "c", polarity=None)
    assert await clusters(db) == []
    await triage.triage(db, staff, unsaid.id, FeedbackTriage(themes=["waiting times"], polarity="negative"), rules)
    [raised] = await clusters(db)
    assert unsaid.id in raised.feedback_ids


async def test_views_staff_heard_and_a_partners_program_are_verified_sources(db, rules, staff, partner):
    for pop_up in ("pop-1", "pop-2"):
        await intake.receive_views(
            db, staff, ViewsCreate(entered_by="Priya", views=[
                ViewCreate(text="Waits", themes=["waiting times"], polarity="negative")
            ]), rules, pop_up_id=pop_up,
        )
    assert await clusters(db) == []
    await intake.receive_from_partner(
        db, partner, PartnerFeedbackCreate(text="Our members wait", themes=["waiting times"], polarity="mixed"), rules
    )
    [raised] = await clusters(db)
    assert "(2 pop-up forums, 1 partner organisation)" in raised.reason


async def test_staff_notes_for_governors_stay_here_and_the_event_carries_the_public_summary(db, rules, staff, recorded):
    item = await give(db, rules)
    data = EscalationCreate.model_validate(
        {"summary": "Long waits in Fenland", "reason": "Sam Jones told us twice; ring him on 07700 900123"}
    )
    raised = await escalation.escalate(db, staff, [item.id], data, rules)
    assert (raised.summary, raised.reason, raised.notes_for_governors) == (
        "Long waits in Fenland", "Raised by staff", "Sam Jones told us twice; ring him on 07700 900123"
    )
    [event] = await recorded(IssueEscalated)
    assert (event.summary, event.reason) == ("Long waits in Fenland", "Raised by staff")
    assert "Sam Jones" not in event.model_dump_json() and "07700" not in event.model_dump_json()


async def test_what_feedback_coming_in_answers_is_what_is_stored_escalations_and_all(db, rules):
    """The answer is built from what was written (no read back): it must be exactly what a read
    just after finds, whether it raised nothing, raised a safeguarding escalation, raised a
    cluster, or joined an open one."""
    partner = Principal(kind="token", id="t-1", name="Carers Trust", role="partner")
    ways_in = [
        lambda: intake.receive_feedback(db, "anonymous", FeedbackCreate(text="Fine", themes=["Crisis care"]), rules),
        lambda: intake.receive_feedback(
            db, "anonymous",
            FeedbackCreate(text="At risk", safeguarding_concern=True, area="Ely", contact_email="a@example.org",
                           contact_consent=True, themes=["waiting times", "my own words"]), rules),
        lambda: give(db, rules, "a"), lambda: give(db, rules, "b"),
        lambda: give(db, rules, "c", safeguarding_concern=True),  # raises the cluster and its own escalation
        lambda: give(db, rules, "d"),  # joins the open cluster
        lambda: intake.receive_from_partner(
            db, partner, PartnerFeedbackCreate(text="Joins too", themes=["waiting times"], polarity="negative"), rules),
    ]
    linked = []
    for way_in in ways_in:
        answer = await way_in()
        assert answer == await triage.get_feedback(db, answer.id)
        linked.append(len(answer.escalation_ids))
    assert linked == [0, 1, 0, 0, 2, 1, 1]


async def test_a_new_escalation_is_answered_as_it_is_stored_however_it_was_raised(db, rules, staff, monkeypatch):
    """Raising builds the escalation from what it wrote (no read back): by staff, for
    safeguarding, and by a cluster, each must be exactly what a read just after finds."""
    today = rules.local_date(datetime.now(UTC))
    raised = []  # each escalation as raising made it (and told governors of it)
    original = escalation.emails.tell_governors_raised

    async def keep(work, esc):
        raised.append(esc)
        await original(work, esc)

    async def as_read_now(step) -> list:
        before = len(raised)
        await step
        for made in raised[before:]:
            assert made == await escalation.get_escalation(db, made.id, today)
        return raised[before:]

    monkeypatch.setattr(escalation.emails, "tell_governors_raised", keep)
    first, second = await give(db, rules, "a", area="Ely"), await give(db, rules, None, area="Wisbech")
    [by_staff] = await as_read_now(escalation.escalate(db, staff, [second.id, first.id, first.id], WHY, rules))
    [at_risk] = await as_read_now(intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="At risk", safeguarding_concern=True, themes=["carers", "own"]), rules))
    [cluster] = await as_read_now(give(db, rules, "b"))  # the third source of "waiting times"
    [own] = await as_read_now(give(db, rules, "c", safeguarding_concern=True))  # and joins the cluster
    assert [e.raised_by for e in (by_staff, at_risk, cluster, own)] == [
        "staff", "safeguarding", "theme_cluster", "safeguarding"]
    assert by_staff.feedback_ids == tuple(sorted([first.id, second.id])) and by_staff.area is None
    assert at_risk.themes == ("carers",) and cluster.linked_feedback_count == 3
    assert (await clusters(db))[0].linked_feedback_count == 4
