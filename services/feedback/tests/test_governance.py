"""Governors following escalations, through the use cases directly (fast tier)."""

from datetime import date, timedelta

import pytest

from feedback.schemas import Acknowledgement, EscalationCreate, FeedbackCreate, NoteCreate, Resolution, ResponseCreate
from feedback.service import escalation, governance, intake, responses
from forum_shared.errors import NotFound, RuleBroken
from forum_shared.events.feedback import EscalationAcknowledged, EscalationOverdue, EscalationResolved

TODAY = date(2027, 3, 1)
ANSWER = ResponseCreate(you_said="Waits are long", we_did="Two more clinics from April", outcome="change_planned")


async def raised(db, rules, staff, **fields):
    item = await intake.receive_feedback(
        db, "anonymous", FeedbackCreate(text="Long waits", themes=["waiting times"], **fields), rules
    )
    return await escalation.escalate(
        db, staff, [item.id], EscalationCreate(summary="Waits", notes_for_governors="Serious"), rules
    )


async def test_a_governor_acknowledges_an_escalation_once(db, rules, staff, governor, recorded, audited):
    esc = await raised(db, rules, staff)
    acknowledged = await governance.acknowledge(db, governor, esc.id, Acknowledgement(governor="Ann Governor"), TODAY)
    assert (acknowledged.status, acknowledged.acknowledged_by) == ("acknowledged", "Ann Governor")
    with pytest.raises(RuleBroken, match="already acknowledged by Ann Governor"):
        await governance.acknowledge(db, governor, esc.id, Acknowledgement(governor="Bob"), TODAY)
    [event] = await recorded(EscalationAcknowledged)
    assert (event.escalation_id, event.governor) == (esc.id, governor.id)  # an account id, never a name
    assert "Ann Governor" not in event.model_dump_json()
    assert await audited("escalation.acknowledged") == 1


async def test_an_answered_escalation_has_nothing_to_acknowledge(db, rules, staff, governor):
    esc = await raised(db, rules, staff)
    await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    with pytest.raises(RuleBroken, match="already responded"):
        await governance.acknowledge(db, governor, esc.id, Acknowledgement(governor="Ann"), TODAY)


async def test_governors_notes_are_kept_with_the_escalation_and_audited(db, rules, staff, governor, audited):
    esc = await raised(db, rules, staff)
    note = await governance.add_note(db, governor, esc.id, NoteCreate(governor="Ann", text="Raise in March"))
    assert (note.escalation_id, note.governor, note.text) == (esc.id, "Ann", "Raise in March")
    with pytest.raises(NotFound):
        await governance.add_note(db, governor, "nope", NoteCreate(governor="Ann", text="Lost"))
    assert await audited("escalation.note_added") == 1


async def test_resolving_before_a_response_is_published_is_refused(db, rules, staff, recorded):
    esc = await raised(db, rules, staff)
    with pytest.raises(RuleBroken, match="Publish a response"):
        await governance.resolve(db, staff, esc.id, Resolution(), TODAY)
    assert await recorded(EscalationResolved) == []


async def test_an_answered_escalation_is_resolved_once(db, rules, staff, recorded, audited):
    esc = await raised(db, rules, staff)
    await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    resolved = await governance.resolve(db, staff, esc.id, Resolution(), TODAY)
    assert resolved.status == "resolved" and resolved.resolved_at is not None
    with pytest.raises(RuleBroken, match="already resolved"):
        await governance.resolve(db, staff, esc.id, Resolution(), TODAY)
    assert [e.escalation_id for e in await recorded(EscalationResolved)] == [esc.id]
    assert await audited("escalation.resolved") == 1


async def test_the_overdue_check_tells_governors_once_from_the_day_after_respond_by(db, rules, staff, recorded):
    esc = await raised(db, rules, staff, area="Peterborough")
    assert await governance.check_overdue(db, esc.respond_by) == []
    assert await governance.check_overdue(db, esc.respond_by + timedelta(days=1)) == [esc.id]
    assert await governance.check_overdue(db, esc.respond_by + timedelta(days=9)) == []
    [event] = await recorded(EscalationOverdue)
    assert (event.summary, event.reason, event.area, event.themes, event.raised_by) == (
        "Waits", "Raised by staff", "Peterborough", ["waiting times"], "staff"
    )
    assert "Serious" not in event.model_dump_json()  # the notes for governors stay in this service
    assert event.feedback_ids == list(esc.feedback_ids) and event.overdue_on == esc.respond_by + timedelta(days=1)
    assert (await escalation.get_escalation(db, esc.id, TODAY)).overdue_at is not None


async def test_an_answered_escalation_is_never_overdue(db, rules, staff, recorded):
    esc = await raised(db, rules, staff)
    await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    assert await governance.check_overdue(db, esc.respond_by + timedelta(days=30)) == []
    assert await recorded(EscalationOverdue) == []


async def test_an_escalation_in_full_has_its_notes_and_responses_oldest_first(db, rules, staff, governor):
    esc = await raised(db, rules, staff)
    for text in ("First thought", "Second thought"):
        await governance.add_note(db, governor, esc.id, NoteCreate(governor="Ann", text=text))
    await responses.respond_to_escalation(db, staff, esc.id, ANSWER)
    full = await governance.escalation_in_full(db, esc.id, TODAY)
    assert (full.id, full.summary, full.status) == (esc.id, "Waits", "responded")
    assert [n.text for n in full.notes] == ["First thought", "Second thought"]
    assert [(r.outcome, r.feedback_ids) for r in full.responses] == [("change_planned", esc.feedback_ids)]
    with pytest.raises(NotFound):
        await governance.escalation_in_full(db, "nope", TODAY)
