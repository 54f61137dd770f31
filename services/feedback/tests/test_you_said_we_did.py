"""“You said, we did”: publishing responses and reading them in public, through the use cases
directly (fast tier)."""

from datetime import UTC, datetime

import pytest

from feedback.schemas import (
    EscalationCreate,
    FeedbackCreate,
    FeedbackTriage,
    ResponseCreate,
    ViewCreate,
    ViewsCreate,
)
from feedback.service import escalation, intake, reactions, responses, triage
from forum_shared.errors import NotFound, RuleBroken
from forum_shared.events.feedback import FeedbackResponded
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupWithdrawn

ANSWER = ResponseCreate(you_said="The ward is too cold", we_did="Heating fixed", outcome="change_made",
                        responded_by="Responder Name")
PERSONAL = {"member_id": "member-7", "contact_name": "Alex Private", "contact_email": "alex@example.org",
            "contact_consent": True, "source": "Alex's neighbour"}


async def give(db, rules, text: str = "Private words about my ward", **fields):
    return await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=text, **fields), rules)


async def test_a_response_to_feedback_marks_it_responded_and_is_published(db, rules, staff, recorded, audited):
    item = await give(db, rules)
    response = await responses.respond_to_feedback(db, staff, item.id, ANSWER)
    assert (response.feedback_ids, response.escalation_id, response.responded_by) == (
        (item.id,),
        None,
        "Responder Name",
    )
    assert (await triage.get_feedback(db, item.id)).status == "responded"
    [event] = await recorded(FeedbackResponded)
    assert (event.response_id, event.feedback_ids, event.outcome) == (response.id, [item.id], "change_made")
    assert await audited("response.published") == 1


async def test_responding_to_closed_feedback_is_refused(db, rules, staff, recorded):
    item = await give(db, rules)
    await triage.close(db, staff, item.id)
    with pytest.raises(RuleBroken, match="closed"):
        await responses.respond_to_feedback(db, staff, item.id, ANSWER)
    assert await recorded(FeedbackResponded) == []


async def test_a_response_to_an_escalation_answers_its_feedback_but_closed_feedback_stays_closed(db, rules, staff):
    open_item, closed_item = await give(db, rules), await give(db, rules)
    esc = await escalation.escalate(
        db, staff, [open_item.id, closed_item.id], EscalationCreate(summary="Cold ward", reason="Two voices"), rules
    )
    await triage.close(db, staff, closed_item.id)
    response = await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    assert set(response.feedback_ids) == {open_item.id, closed_item.id} and response.escalation_id == esc.id
    assert (await triage.get_feedback(db, open_item.id)).status == "responded"
    assert (await triage.get_feedback(db, closed_item.id)).status == "closed"
    answered = await escalation.get_escalation(db, esc.id, response.responded_at.date())
    assert answered.status == "responded" and answered.responded_at is not None


async def test_the_public_view_traces_sources_but_never_people_words_or_ratings(db, rules, staff):
    item = await give(db, rules, area="Ely", **PERSONAL)
    await triage.triage(db, staff, item.id, FeedbackTriage(themes=["environment"], criticality=4), rules)
    [view] = await intake.receive_views(
        db,
        staff,
        ViewsCreate(entered_by="Staff Name Here", views=[ViewCreate(text="Same ward", themes=["environment"])]),
        rules,
        pop_up_id="pop-pub",
    )
    esc = await escalation.escalate(
        db, staff, [item.id, view.id], EscalationCreate(summary="Ward too cold", reason="Two voices"), rules
    )
    response = await responses.respond_to_escalation(db, staff, esc.id, ANSWER)

    shown = await responses.published_one(db, response.id, rules)
    assert (shown.you_said, shown.we_did, shown.outcome_words) == (
        "The ward is too cold",
        "Heating fixed",
        "Change made",
    )
    assert shown.escalated and shown.voices == 2 and shown.themes == ("environment",)
    assert sorted(s.kind for s in shown.sources) == ["individual", "pop_up_forum"]
    assert any(s.description.startswith("A member of the public, Ely") for s in shown.sources)
    everything = repr(shown)
    for private in ("member-7", "Alex Private", "alex@example.org", "Alex's neighbour", "Private words",
                    "Staff Name Here", "Responder Name", "criticality", item.id):
        assert private not in everything, private


async def test_a_community_group_is_named_in_public_only_while_listed(db, rules, staff):
    async with db.transaction() as session:
        await reactions.note_community_group(
            session, CommunityGroupRegistered(community_group_id="grp", name="Wisbech Mind", areas=["Fenland"]),
            datetime.now(UTC),
        )
    item = await intake.receive_feedback(
        db, staff, FeedbackCreate(text="Good group", channel="community_group", community_group_id="grp"), rules
    )
    response = await responses.respond_to_feedback(db, staff, item.id, ANSWER)
    [source] = (await responses.published_one(db, response.id, rules)).sources
    assert source.description.startswith("Wisbech Mind")

    async with db.transaction() as session:
        await reactions.note_withdrawal(session, CommunityGroupWithdrawn(community_group_id="grp"), datetime.now(UTC))
    [source] = (await responses.published_one(db, response.id, rules)).sources
    assert source.description.startswith("A community group") and "Wisbech" not in source.description


async def test_published_responses_are_counted_and_paged_newest_first(db, rules, staff):
    made = []
    for n in range(3):
        item = await give(db, rules, f"View {n}")
        made.append((await responses.respond_to_feedback(db, staff, item.id, ANSWER)).id)
    assert await responses.count_published(db) == 3
    assert [r.id for r in await responses.published(db, rules)] == made[::-1]
    assert [r.id for r in await responses.published(db, rules, limit=1, offset=1)] == [made[1]]


async def test_a_response_that_is_not_there_is_not_found(db, rules):
    with pytest.raises(NotFound):
        await responses.published_one(db, "nope", rules)
