"""The agenda: items added, changed, reordered and removed, and open actions carried forward to
later meetings once they are overdue; the use cases called directly on SQLite."""

from datetime import UTC, datetime, timedelta

import pytest

from forum_shared.errors import Conflict, NotFound
from forum_shared.events.feedback import IssueEscalated
from meetings import domain
from meetings.domain import AgendaKind
from meetings.schemas.actions import ActionCompletion, ActionCreate
from meetings.schemas.agenda import AgendaItemCreate, AgendaItemUpdate
from meetings.schemas.meetings import CancellationCreate, MeetingHeldCreate
from meetings.service import agenda, escalations, holding, meetings, schedule


def london_today():
    return domain.local_day(datetime.now(UTC))


async def titles(db, meeting_id: str) -> list[str]:
    return [i.title for i in (await meetings.get_meeting(db, meeting_id)).agenda]


async def test_items_go_on_in_order_and_can_be_moved_changed_and_removed(db, staff, schedule_in, audited):
    meeting = await schedule_in(db, days=10)
    welcome = await agenda.add_item(db, staff, meeting.id, AgendaItemCreate(title="Welcome", presenter="Chair"))
    update = await agenda.add_item(db, staff, meeting.id, AgendaItemCreate(title="Trust update", duration_minutes=30))
    await agenda.add_item(db, staff, meeting.id, AgendaItemCreate(title="Any other business"))
    moved = await agenda.change_item(
        db, staff, meeting.id, update.id, AgendaItemUpdate(position=0, duration_minutes=45)
    )
    assert moved.duration_minutes == 45
    assert await titles(db, meeting.id) == ["Trust update", "Welcome", "Any other business"]
    await agenda.change_item(db, staff, meeting.id, welcome.id, AgendaItemUpdate(position=99))
    assert await titles(db, meeting.id) == ["Trust update", "Any other business", "Welcome"]
    await agenda.remove_item(db, staff, meeting.id, welcome.id)
    assert await titles(db, meeting.id) == ["Trust update", "Any other business"]
    logged = [(action, details) for action, _, details in await audited(db)]
    assert ("agenda.item_added", {"item_id": welcome.id}) in logged
    assert ("agenda.item_changed", {"item_id": update.id}) in logged
    assert ("agenda.item_removed", {"item_id": welcome.id}) in logged


async def test_an_item_keeps_its_title_when_a_change_leaves_it_blank(db, staff, schedule_in):
    meeting = await schedule_in(db, days=10)
    item = await agenda.add_item(db, staff, meeting.id, AgendaItemCreate(title="GP access", presenter="Chair"))
    changed = await agenda.change_item(db, staff, meeting.id, item.id, AgendaItemUpdate(title=None, presenter=None))
    assert (changed.title, changed.presenter) == ("GP access", None)
    with pytest.raises(NotFound, match="no item with id nope"):
        await agenda.change_item(db, staff, meeting.id, "nope", AgendaItemUpdate(title="x"))


async def test_escalated_issues_stay_on_the_agenda_until_the_meeting_is_held(db, staff, schedule_in):
    meeting = await schedule_in(db, days=10)
    async with db.transaction() as session:
        await escalations.add_escalation_to_agenda(session, IssueEscalated(
            escalation_id="esc-1", summary="Interpreters not booked", reason="Several people", raised_by="staff",
            respond_by=datetime(2030, 1, 31).date(), raised_at=datetime.now(UTC),
        ))
    [item] = (await meetings.get_meeting(db, meeting.id)).agenda
    assert (item.kind, item.title) == (AgendaKind.escalation, "Escalated issue: Interpreters not booked")
    with pytest.raises(Conflict, match="stay on the agenda"):
        await agenda.remove_item(db, staff, meeting.id, item.id)
    presented = await agenda.change_item(db, staff, meeting.id, item.id, AgendaItemUpdate(presenter="Lead governor"))
    assert presented.presenter == "Lead governor"


async def test_the_agenda_of_a_cancelled_meeting_no_longer_changes(db, staff, schedule_in):
    meeting = await schedule_in(db, days=10)
    await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate())
    with pytest.raises(Conflict, match="cancelled: its agenda can no longer change"):
        await agenda.add_item(db, staff, meeting.id, AgendaItemCreate(title="Late item"))


async def _held_with_actions(db, staff, schedule_in, *due_in_days):
    earlier = await schedule_in(db, days=-40, area="Fenland")
    today = london_today()
    held = await holding.record_meeting_held(db, staff, earlier.id, MeetingHeldCreate(actions=[
        ActionCreate(description=f"Due in {days} days", owner_name="Estates",
                     due_on=None if days is None else today + timedelta(days=days))
        for days in due_in_days
    ]))
    return {a.description: a for a in held.actions}


async def test_an_action_overdue_today_is_carried_to_later_meetings_as_overdue(db, staff, schedule_in):
    actions = await _held_with_actions(db, staff, schedule_in, -10, None)
    last_week = await schedule_in(db, days=-1, area="Peterborough")
    next_month = await schedule_in(db, days=30, area="Huntingdonshire")
    for meeting in (last_week, next_month):
        [carried] = [
            i for i in (await meetings.get_meeting(db, meeting.id)).agenda if i.kind == AgendaKind.carried_action
        ]
        assert carried.action_id == actions["Due in -10 days"].id and carried.overdue and not carried.stored
        assert carried.title.startswith("Overdue action from ")
        assert "Due in -10 days (Estates, due" in carried.title


async def test_an_action_due_after_today_is_not_shown_as_overdue_on_a_later_meeting(db, staff, schedule_in):
    await _held_with_actions(db, staff, schedule_in, 2, 20)
    next_week = await schedule_in(db, days=7, area="Peterborough")
    agenda_items = (await meetings.get_meeting(db, next_week.id)).agenda
    assert [i for i in agenda_items if i.kind == AgendaKind.carried_action] == []


async def test_an_action_due_today_is_not_overdue_yet(db, staff, schedule_in):
    await _held_with_actions(db, staff, schedule_in, 0)
    next_week = await schedule_in(db, days=7, area="Peterborough")
    assert [i.kind for i in (await meetings.get_meeting(db, next_week.id)).agenda] == []


async def test_a_held_meeting_keeps_the_actions_carried_to_it_and_a_completed_action_is_carried_no_more(
    db, staff, schedule_in
):
    actions = await _held_with_actions(db, staff, schedule_in, -10)
    leaflet = actions["Due in -10 days"]
    last_week = await schedule_in(db, days=-1, area="Peterborough")
    next_month = await schedule_in(db, days=30, area="Huntingdonshire")
    await holding.record_meeting_held(db, staff, last_week.id, MeetingHeldCreate())
    await holding.complete_action(db, staff, leaflet.id, ActionCompletion())
    [kept] = (await meetings.get_meeting(db, last_week.id)).agenda
    assert (kept.action_id, kept.kind, kept.stored) == (leaflet.id, AgendaKind.carried_action, True)
    assert (await meetings.get_meeting(db, next_month.id)).agenda == ()
