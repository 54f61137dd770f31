"""Scheduling, moving, changing and cancelling forum meetings, and who may see them: the use cases
called directly on SQLite, without NATS or HTTP."""

import json
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum_shared.errors import Conflict, NotFound, RuleBroken
from forum_shared.events.meetings import (
    MeetingCancelled,
    MeetingRescheduled,
    MeetingScheduled,
    WaitingListPlaceOffered,
)
from forum_shared.identity.principal import Principal
from forum_shared.tables import outbox
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.schemas.meetings import (
    CancellationCreate,
    MeetingCreate,
    MeetingHeldCreate,
    MeetingReschedule,
    MeetingUpdate,
)
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import holding, meetings, registration, schedule

AREAS = ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough", "South Cambridgeshire"]
GOVERNOR = Principal(kind="account", id="gov-1", name="Grace Governor", role="governor")


async def test_a_meeting_is_scheduled_in_london_time_with_its_event_and_audit_entry(db, staff, recorded, audited):
    planned = await schedule.schedule_meeting(db, staff, MeetingCreate(
        starts_at=datetime(2030, 7, 4, 19), ends_at=datetime(2030, 7, 4, 21), venue="Ely Library",
        area="east cambridgeshire", online_url="https://meet.example.org/forum", capacity=40,
    ), AREAS)
    meeting = planned.meeting
    assert meeting.starts_at.isoformat() == "2030-07-04T19:00:00+01:00"
    assert (meeting.area, meeting.attendance_mode, meeting.status) == ("East Cambridgeshire", "hybrid", "scheduled")
    assert (meeting.capacity, meeting.places_left, meeting.sequence) == (40, 40, 0)
    [event] = await recorded(db, MeetingScheduled)
    assert (event.meeting_id, event.starts_at, event.area) == (meeting.id, datetime(2030, 7, 4, 18, tzinfo=UTC),
                                                              "East Cambridgeshire")
    assert await audited(db) == [("meeting.scheduled", f"meeting:{meeting.id}", {})]


async def test_a_meeting_in_an_area_the_forum_does_not_know_is_refused_as_a_broken_rule(db, staff, recorded, audited):
    start = datetime.now(UTC) + timedelta(days=3)
    with pytest.raises(RuleBroken, match="'Huntingdon' is not one of the forum's areas. Choose one of: Cambridge"):
        await schedule.schedule_meeting(db, staff, MeetingCreate(
            starts_at=start, ends_at=start + timedelta(hours=2), venue="Hall", area="Huntingdon"), AREAS)
    assert await recorded(db, MeetingScheduled) == [] and await audited(db) == []


async def test_a_meeting_needs_a_venue_with_an_area_or_an_online_link(db, staff):
    start = datetime.now(UTC) + timedelta(days=3)
    times = {"starts_at": start, "ends_at": start + timedelta(hours=2)}
    with pytest.raises(RuleBroken, match="Say which area"):
        await schedule.schedule_meeting(db, staff, MeetingCreate(**times, venue="Hall"), AREAS)
    with pytest.raises(RuleBroken, match="venue, an online link"):
        await schedule.schedule_meeting(db, staff, MeetingCreate(**times), AREAS)
    with pytest.raises(RuleBroken, match="end must be after the start"):
        await schedule.schedule_meeting(db, staff, MeetingCreate(
            starts_at=start, ends_at=start - timedelta(hours=1), venue="Hall", area="Fenland"), AREAS)


async def test_a_meeting_in_the_same_area_as_the_one_before_it_is_kept_with_a_warning(db, staff, schedule_in):
    await schedule_in(db, days=-30, area="Fenland")
    await schedule_in(db, days=10, area="Cambridge")
    start = datetime.now(UTC) + timedelta(days=40)
    planned = await schedule.schedule_meeting(db, staff, MeetingCreate(
        starts_at=start, ends_at=start + timedelta(hours=2), venue="Guildhall", area="Cambridge"), AREAS)
    assert len(planned.warnings) == 1 and "was also in Cambridge" in planned.warnings[0]
    assert planned.suggested_area == "East Cambridgeshire"  # never visited, first in the list


async def test_a_meeting_entered_after_the_fact_is_kept_with_a_warning(db, staff):
    start = datetime.now(UTC) - timedelta(days=3)
    planned = await schedule.schedule_meeting(db, staff, MeetingCreate(
        starts_at=start, ends_at=start + timedelta(hours=2), online_url="https://meet.example.org/x"), AREAS)
    assert any("starts in the past" in w for w in planned.warnings)
    assert planned.meeting.area is None and planned.meeting.attendance_mode == "online"


async def test_a_moved_meeting_tells_calendars_and_its_reminder_is_raised_again(db, staff, schedule_in, recorded):
    from meetings.service.reminders import check_reminders

    now = datetime.now(UTC)
    meeting = await schedule_in(db, start=now + timedelta(hours=20))
    assert await check_reminders(db, now) == [meeting.id]
    later = now + timedelta(days=3)
    planned = await schedule.reschedule_meeting(db, staff, meeting.id, MeetingReschedule(
        starts_at=later, ends_at=later + timedelta(hours=2), venue="Wisbech Town Hall", area="Fenland"), AREAS)
    assert (planned.meeting.venue, planned.meeting.area, planned.meeting.sequence) == (
        "Wisbech Town Hall",
        "Fenland",
        1,
    )
    [moved] = await recorded(db, MeetingRescheduled)
    assert (moved.starts_at, moved.area) == (later, "Fenland")
    assert await check_reminders(db, later - timedelta(hours=2)) == [meeting.id]


async def test_a_meeting_moved_online_keeps_no_address_or_area(db, staff, schedule_in):
    meeting = await schedule_in(db, days=20, address="Market Square")
    planned = await schedule.reschedule_meeting(db, staff, meeting.id, MeetingReschedule(
        venue=None, online_url="https://meet.example.org/y"), AREAS)
    assert (planned.meeting.attendance_mode, planned.meeting.area, planned.meeting.address) == ("online", None, None)


async def test_a_cancellation_reason_is_kept_for_meetings_pages_and_never_written_to_an_event(
    db, staff, schedule_in, strict_contracts
):
    meeting = await schedule_in(db, days=10)
    reason = "Robin Quill, who was to chair it, is unwell: ring 07700 900777 with questions."
    cancelled = await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate(reason=reason))
    assert cancelled.cancel_reason == reason
    async with db.read() as session:
        written = [row.body + json.dumps(row.headers) for row in (await session.execute(select(outbox))).all()]
    assert len(written) == 2  # scheduled, then cancelled
    assert not any("Robin Quill" in event or "07700" in event for event in written)


async def test_a_cancelled_meeting_cannot_be_changed_moved_or_cancelled_again(db, staff, schedule_in, recorded):
    meeting = await schedule_in(db, days=10)
    cancelled = await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate(reason="The venue flooded."))
    assert (cancelled.status, cancelled.cancel_reason, cancelled.sequence) == ("cancelled", "The venue flooded.", 1)
    assert [e.model_dump() for e in await recorded(db, MeetingCancelled)] == [{"meeting_id": meeting.id}]
    with pytest.raises(Conflict, match="has been cancelled"):
        await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate())
    with pytest.raises(Conflict, match="has been cancelled"):
        await schedule.update_meeting(db, staff, meeting.id, MeetingUpdate(title="Again"))
    with pytest.raises(Conflict, match="has been cancelled"):
        await schedule.reschedule_meeting(db, staff, meeting.id, MeetingReschedule(venue="Hall", area="Fenland"), AREAS)


async def test_a_held_meeting_cannot_be_moved(db, staff, schedule_in):
    meeting = await schedule_in(db, days=-2)
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate())
    with pytest.raises(Conflict, match="already been held, so it cannot be rescheduled"):
        await schedule.reschedule_meeting(db, staff, meeting.id, MeetingReschedule(venue="Hall", area="Fenland"), AREAS)


async def test_places_never_drop_below_those_already_taken(db, staff, schedule_in, audited):
    meeting = await schedule_in(db, days=10, capacity=3)
    for name in ("Ann", "Bo"):
        await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name=name))
    with pytest.raises(Conflict, match="2 people already have a place"):
        await schedule.update_meeting(db, staff, meeting.id, MeetingUpdate(capacity=1))
    assert [a for a, _, _ in await audited(db)] == ["meeting.scheduled"], "a refused change is not audited"
    changed = await schedule.update_meeting(db, staff, meeting.id, MeetingUpdate(title="Winter forum", capacity=2))
    assert (changed.title, changed.capacity, changed.places_left, changed.sequence) == ("Winter forum", 2, 0, 1)


async def test_more_places_go_to_the_waiting_list_in_order_each_with_an_event(db, staff, schedule_in, recorded):
    meeting = await schedule_in(db, days=14, capacity=1)
    people = [await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name=n))
              for n in ("Ann", "Bo", "Cy", "Di")]
    assert [p.status for p in people] == ["registered", "waiting", "waiting", "waiting"]
    changed = await schedule.update_meeting(db, staff, meeting.id, MeetingUpdate(capacity=3))
    assert (changed.registered, changed.waiting, changed.places_left) == (3, 1, 0)
    offered = await recorded(db, WaitingListPlaceOffered)
    assert [e.registration_id for e in offered] == [people[1].id, people[2].id]
    listed = await registration.list_registrations(db, meeting.id)
    assert [r.status for r in listed.registrations] == [RegistrationStatus.registered] * 3 + [
        RegistrationStatus.waiting
    ]


async def test_a_meeting_not_open_to_the_public_is_shown_to_staff_only(db, staff, schedule_in):
    private = await schedule_in(db, days=6, public=False)
    public = await schedule_in(db, days=7, area="Fenland")
    assert [m.id for m in await meetings.list_meetings(db)] == [public.id]
    assert [m.id for m in await meetings.list_meetings(db, GOVERNOR)] == [public.id]
    assert [m.id for m in await meetings.list_meetings(db, staff)] == [private.id, public.id]
    with pytest.raises(NotFound):
        await meetings.get_meeting(db, private.id)
    assert (await meetings.get_meeting(db, private.id, staff)).public is False
    assert [m.id for m in await meetings.calendar_meetings(db)] == [public.id]
    with pytest.raises(NotFound):
        await meetings.calendar_meetings(db, None, private.id)


async def test_only_staff_see_which_members_came_to_a_meeting(db, staff, schedule_in):
    meeting = await schedule_in(db, days=-1)
    await holding.record_meeting_held(db, staff, meeting.id, MeetingHeldCreate(attendee_member_ids=["m-1", "m-2"]))
    assert sorted((await meetings.get_meeting(db, meeting.id, staff)).attendee_member_ids) == ["m-1", "m-2"]
    assert (await meetings.get_meeting(db, meeting.id)).attendee_member_ids == ()
    with pytest.raises(NotFound, match="no meeting with id nope"):
        await meetings.get_meeting(db, "nope", staff)


async def test_meetings_are_listed_in_date_order_and_by_status(db, staff, schedule_in):
    later = await schedule_in(db, days=20)
    sooner = await schedule_in(db, days=5, area="Fenland")
    await schedule.cancel_meeting(db, staff, later.id, CancellationCreate())
    assert [m.id for m in await meetings.list_meetings(db, staff)] == [sooner.id, later.id]
    assert [m.id for m in await meetings.list_meetings(db, staff, MeetingStatus.cancelled)] == [later.id]


async def test_what_is_coming_up_is_public_not_yet_over_and_not_yet_held_soonest_first(db, staff, schedule_in):
    from meetings.service.upcoming import upcoming

    later = await schedule_in(db, days=9, area="Fenland")
    sooner = await schedule_in(db, days=2)
    await schedule_in(db, days=3, public=False)
    over = await schedule_in(db, days=-2)
    under_way = await schedule_in(db, start=datetime.now(UTC) - timedelta(hours=1), area="Peterborough")
    await holding.record_meeting_held(db, staff, over.id, MeetingHeldCreate())
    assert [i.id for i in await upcoming(db)] == [under_way.id, sooner.id, later.id]
    assert [i.id for i in await upcoming(db, "fenland")] == [later.id]
