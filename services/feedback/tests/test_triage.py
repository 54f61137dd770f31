"""Staff working through feedback, through the use cases directly (fast tier)."""

import pytest

from feedback import domain
from feedback.schemas import FeedbackCreate, FeedbackTriage
from feedback.service import intake, triage
from forum_shared.errors import Invalid, NotFound, RuleBroken
from forum_shared.events.feedback import FeedbackTriaged, IssueEscalated


async def give(db, rules, text: str = "Waited nine months", **fields):
    return await intake.receive_feedback(db, "anonymous", FeedbackCreate(text=text, **fields), rules)


async def test_triage_sets_managed_themes_tags_and_a_criticality_the_event_leaves_out(
    db, rules, staff, recorded, audited
):
    item = await give(db, rules)
    triaged = await triage.triage(
        db, staff, item.id,
        FeedbackTriage(themes=["Waiting Times"], tags=["Therapy"], criticality=3, area="Cambridge"), rules,
    )
    assert (triaged.status, triaged.themes, triaged.tags, triaged.criticality, triaged.area) == (
        "triaged", ("waiting times",), ("therapy",), 3, "Cambridge"
    )
    [event] = await recorded(FeedbackTriaged)
    assert (event.themes, event.area, event.status) == (["waiting times"], "Cambridge", "triaged")
    assert "criticality" not in event.model_dump()
    assert await audited("feedback.triaged") == 1


async def test_fields_left_out_of_triage_keep_their_value(db, rules, staff):
    item = await give(db, rules, area="Fenland", polarity="negative")
    triaged = await triage.triage(db, staff, item.id, FeedbackTriage(themes=["carers"]), rules)
    assert (triaged.area, triaged.polarity) == ("Fenland", "negative")


async def test_themes_not_on_the_managed_list_are_refused_and_nothing_changes(db, rules, staff, audited):
    item = await give(db, rules)
    with pytest.raises(Invalid, match="Not on the managed theme list: long wait"):
        await triage.triage(db, staff, item.id, FeedbackTriage(themes=["long wait"]), rules)
    assert (await triage.get_feedback(db, item.id)).status == "new"
    assert await audited("feedback.triaged") == 0


async def test_closed_feedback_cannot_be_triaged_again(db, rules, staff):
    item = await give(db, rules)
    assert (await triage.close(db, staff, item.id)).status == "closed"
    with pytest.raises(RuleBroken, match="closed"):
        await triage.triage(db, staff, item.id, FeedbackTriage(themes=[]), rules)


async def test_closing_is_audited_and_closing_twice_is_refused(db, rules, staff, audited):
    item = await give(db, rules)
    closed = await triage.close(db, staff, item.id)
    assert closed.closed_at is not None
    with pytest.raises(RuleBroken, match="already closed"):
        await triage.close(db, staff, item.id)
    assert await audited("feedback.closed") == 1


async def test_the_highest_criticality_escalates_once_however_often_triaged(db, rules, staff, recorded):
    item = await give(db, rules)
    await triage.triage(db, staff, item.id, FeedbackTriage(themes=["waiting times"], criticality=4), rules)
    assert await recorded(IssueEscalated) == []
    for _ in range(2):
        await triage.triage(db, staff, item.id, FeedbackTriage(themes=["waiting times"], criticality=5), rules)
    [event] = await recorded(IssueEscalated)
    assert event.raised_by == "criticality" and "rated it 5" in event.reason


async def test_feedback_is_listed_newest_first_by_status_theme_and_area_and_counted_alike(db, rules, staff):
    first = await give(db, rules, "a", themes=["carers"], area="Fenland")
    second = await give(db, rules, "b", themes=["medication"], area="Cambridge")
    await triage.close(db, staff, first.id)
    assert [f.id for f in await triage.list_feedback(db)] == [second.id, first.id]
    assert [f.text for f in await triage.list_feedback(db, theme="Carers")] == ["a"]
    assert [f.text for f in await triage.list_feedback(db, area="Cambridge")] == ["b"]
    assert [f.text for f in await triage.list_feedback(db, status="closed")] == ["a"]
    assert await triage.count_feedback(db, theme="carers") == 1
    assert await triage.count_feedback(db) == 2
    assert [f.text for f in await triage.list_feedback(db, limit=1, offset=1)] == ["a"]


async def test_a_reference_finds_exactly_one_piece_of_feedback(db, rules):
    item = await give(db, rules)
    assert await triage.find_by_reference(db, domain.reference(item.id)) == item.id
    assert await triage.find_by_reference(db, "NOPE") is None
    assert await triage.find_by_reference(db, "ZZZZZZZZ") is None


async def test_feedback_that_is_not_there_is_not_found(db, rules, staff):
    with pytest.raises(NotFound):
        await triage.get_feedback(db, "nope")
    with pytest.raises(NotFound):
        await triage.triage(db, staff, "nope", FeedbackTriage(themes=[]), rules)
