"""Holding a meeting: attendance for involvement records, minutes, actions agreed and completed;
the use cases called directly on SQLite."""

from datetime import UTC, date, datetime, timedelta

import pytest

from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events.meetings import ActionAgreed, ActionCompleted, MeetingHeld
from meetings import domain
from meetings.domain import ActionStatus
from meetings.schemas.actions import ActionCompletion, ActionCreate
from meetings.schemas.meetings import CancellationCreate, MeetingHeldCreate, MinutesUpdate
from meetings.service import holding, schedule


async def test_a_held_meeting_tells_membership_who_came_and_for_how_long(db, staff, schedule_in, recorded, audited):
    start = datetime.now(UTC) - timedelta(days=2)
    meeting = await schedule_in(db, start=start, hours=2.5)
    held = await holding.record_meeting_held(
        db,
        staff,
        meeting.id,
        MeetingHeldCreate(
            attendee_member_ids=["m-1", "m-2", "m-1", " "],
            public_attendees=12,
            minutes="We met.",
            actions=[
                ActionCreate(
                    description="Share the crisis line poster", owner_name="Comms team", due_on=date(2030, 1, 15)
                )
            ],
        ),
    )
    assert (held.status, held.hours, held.public_attendees, held.held_on) == ("held", 2.5, 12, domain.local_day(start))
    assert sorted(held.attendee_member_ids) == ["m-1", "m-2"] and held.minutes == "We met."
    [event] = await recorded(db, MeetingHeld)
    assert (event.attendee_member_ids, event.public_attendees, event.hours) == (["m-1", "m-2"], 12, 2.5)
    [agreed] = await recorded(db, ActionAgreed)
    assert (agreed.owner_name, agreed.due_on, agreed.action_id) == ("Comms team", date(2030, 1, 15), held.actions[0].id)
    assert ("meeting.held", f"meeting:{meeting.id}", {}) in await audited(db)


async def test_a_meeting_is_held_only_once_only_after_it_starts_and_never_if_cancelled(db, staff, schedule_in):
    future = await schedule_in(db, days=5)
    with pytest.raises(Conflict, match="has not started yet"):
        await holding.record_meeting_held(db, staff, future.id, MeetingHeldCreate())
    past = await schedule_in(db, days=-5, area="Fenland")
    await schedule.cancel_meeting(db, staff, past.id, CancellationCreate())
    with pytest.raises(Conflict, match="was cancelled"):
        await holding.record_meeting_held(db, staff, past.id, MeetingHeldCreate())
    other = await schedule_in(db, days=-6, area="Peterborough")
    await holding.record_meeting_held(db, staff, other.id, MeetingHeldCreate())
    with pytest.raises(Conflict, match="already been recorded as held"):
        await holding.record_meeting_held(db, staff, other.id, MeetingHeldCreate())
    with pytest.raises(NotFound):
        await holding.record_meeting_held(db, staff, "nope", MeetingHeldCreate())


async def test_minutes_are_written_once_the_meeting_is_held_and_can_be_corrected(db, staff, schedule_in, audited):
    meeting = await schedule_in(db, days=-1)
    with pytest.raises(Conflict, match="once the meeting has been held"):
        await holding.update_minutes(db, staff, meeting.id, MinutesUpdate(minutes="Too soon"))
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate(minutes="First draft."))
    fixed = await holding.update_minutes(db, staff, meeting.id, MinutesUpdate(minutes="Corrected minutes."))
    assert fixed.minutes == "Corrected minutes."
    assert ("meeting.minutes_updated", f"meeting:{meeting.id}", {}) in await audited(db)


async def test_actions_are_agreed_only_at_a_meeting_that_was_held(db, staff, schedule_in, audited):
    meeting = await schedule_in(db, days=5)
    data = ActionCreate(description="Write to the chief executive", owner_name="Chair")
    with pytest.raises(Conflict, match="held first"):
        await holding.agree_action(db, staff, meeting.id, data)
    past = await schedule_in(db, days=-3, area="Fenland")
    await holding.record_meeting_held(db, staff, past.id, MeetingHeldCreate())
    action = await holding.agree_action(db, staff, past.id, data)
    assert (action.meeting_id, action.status, action.due_on) == (past.id, ActionStatus.open, None)
    assert ("action.agreed", f"action:{action.id}", {"meeting_id": past.id}) in await audited(db)


async def test_an_action_is_completed_once_and_never_in_the_future(db, staff, schedule_in, recorded):
    meeting = await schedule_in(db, days=-3)
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate())
    action = await holding.agree_action(
        db, staff, meeting.id, ActionCreate(description="Write to the ICB", owner_name="Chair")
    )
    tomorrow = datetime.now(UTC).date() + timedelta(days=2)
    with pytest.raises(Invalid, match="cannot be in the future"):
        await holding.complete_action(db, staff, action.id, ActionCompletion(completed_on=tomorrow))
    now = datetime(2030, 7, 1, 23, 30, tzinfo=UTC)  # half past midnight on 2 July in London
    done = await holding.complete_action(db, staff, action.id, ActionCompletion(), now=now)
    assert (done.status, done.completed_on) == (ActionStatus.completed, date(2030, 7, 2))
    with pytest.raises(Conflict, match="already completed on 2 July 2030"):
        await holding.complete_action(db, staff, action.id, ActionCompletion())
    assert [e.completed_on for e in await recorded(db, ActionCompleted)] == [date(2030, 7, 2)]
    with pytest.raises(NotFound):
        await holding.complete_action(db, staff, "nope", ActionCompletion())


async def test_actions_are_listed_soonest_due_first_and_by_status(db, staff, schedule_in):
    meeting = await schedule_in(db, days=-3)
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate(actions=[
        ActionCreate(description="No date", owner_name="Chair"),
        ActionCreate(description="Later", owner_name="Chair", due_on=date(2030, 5, 1)),
        ActionCreate(description="Sooner", owner_name="Chair", due_on=date(2030, 4, 1)),
    ]))
    assert [a.description for a in await holding.list_actions(db)] == ["Sooner", "Later", "No date"]
    sooner = (await holding.list_actions(db))[0]
    await holding.complete_action(db, staff, sooner.id, ActionCompletion())
    assert [a.description for a in await holding.list_actions(db, ActionStatus.open)] == ["Later", "No date"]
    assert [a.description for a in await holding.list_actions(db, ActionStatus.completed)] == ["Sooner"]


async def test_an_open_action_is_overdue_only_once_its_due_date_has_passed(db, staff, schedule_in):
    meeting = await schedule_in(db, days=-3)
    today = date(2030, 6, 10)
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate(actions=[
        ActionCreate(description="Due yesterday", owner_name="Chair", due_on=today - timedelta(days=1)),
        ActionCreate(description="Due today", owner_name="Chair", due_on=today),
        ActionCreate(description="Due tomorrow", owner_name="Chair", due_on=today + timedelta(days=1)),
    ]))
    overdue = {a.description: a.overdue_on(today) for a in await holding.list_actions(db)}
    assert overdue == {"Due yesterday": True, "Due today": False, "Due tomorrow": False}
