"""Registration: places up to capacity, then a waiting list offered places strictly in order; the
details people give are cleared some days after the meeting. The use cases called directly."""

from datetime import timedelta

import pytest

from forum_shared.errors import Conflict, NotFound
from forum_shared.events.meetings import WaitingListPlaceOffered
from meetings.domain import RegistrationStatus
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import registration, schedule
from meetings.service.retention import clear_old_registration_details


async def test_places_are_given_up_to_capacity_then_people_wait_in_the_order_they_came(db, schedule_in):
    meeting = await schedule_in(db, days=14, capacity=2)
    people = [await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name=n))
              for n in ("Ann", "Bo", "Cy", "Di")]
    assert [p.status for p in people] == ["registered", "registered", "waiting", "waiting"]
    assert [p.waiting_position for p in people] == [None, None, 1, 2]
    listed = await registration.list_registrations(db, meeting.id)
    assert (listed.capacity, listed.registered, listed.waiting, listed.places_left) == (2, 2, 2, 0)


async def test_a_place_given_up_goes_to_the_first_in_line_told_with_ids_only(db, staff, schedule_in, recorded, audited):
    meeting = await schedule_in(db, days=14, capacity=1)
    ann = await registration.register(db, staff, meeting.id, RegistrationCreate(member_id="member-ann"))
    bo = await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name="Bo", contact_phone="0123"))
    cy = await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name="Cy"))
    left = await registration.cancel_registration(db, staff, meeting.id, cy.id)
    assert left.status == RegistrationStatus.cancelled and await recorded(db, WaitingListPlaceOffered) == []
    await registration.cancel_registration(db, staff, meeting.id, ann.id)
    [offered] = await recorded(db, WaitingListPlaceOffered)
    assert (offered.registration_id, offered.member_id, offered.starts_at) == (bo.id, None, meeting.starts_at)
    assert "0123" not in offered.model_dump_json() and "Bo" not in offered.model_dump_json()
    now_registered = await registration.get_registration(db, meeting.id, bo.id)
    assert now_registered.status == RegistrationStatus.registered and now_registered.promoted_at is not None
    with pytest.raises(Conflict, match="already cancelled"):
        await registration.cancel_registration(db, staff, meeting.id, ann.id)
    logged = [(action, details) for action, _, details in await audited(db)]
    assert ("registration.added", {"registration_id": ann.id}) in logged
    assert ("registration.cancelled", {"registration_id": ann.id}) in logged
    assert not any(details.get("registration_id") == bo.id for _, details in logged), "the public are not audited"


async def test_a_member_registers_once(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14)
    await registration.register(db, staff, meeting.id, RegistrationCreate(member_id="m-1"))
    with pytest.raises(Conflict, match="already registered"):
        await registration.register(db, staff, meeting.id, RegistrationCreate(member_id="m-1"))


async def test_only_staff_register_people_for_a_meeting_not_open_to_the_public(db, staff, schedule_in):
    closed = await schedule_in(db, days=14, public=False)
    with pytest.raises(NotFound, match="no public meeting"):
        await registration.register(db, "anonymous", closed.id, RegistrationCreate(name="Bo"))
    invited = await registration.register(db, staff, closed.id, RegistrationCreate(member_id="member-ann"))
    assert invited.status == RegistrationStatus.registered


async def test_registrations_close_once_a_meeting_starts_or_is_cancelled(db, staff, schedule_in):
    past = await schedule_in(db, days=-1)
    with pytest.raises(Conflict, match="already started"):
        await registration.register(db, "anonymous", past.id, RegistrationCreate(name="Ann"))
    meeting = await schedule_in(db, days=14, area="Fenland")
    await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate())
    with pytest.raises(Conflict, match="cancelled"):
        await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name="Bo"))
    with pytest.raises(NotFound):
        await registration.register(db, "anonymous", "nope", RegistrationCreate(name="Bo"))


async def test_access_needs_are_counted_for_the_people_with_places(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14, capacity=2)
    for needs in (["bsl_interpreter", "step_free_access"], ["step_free_access"], ["quiet_space"]):
        await registration.register(db, "anonymous", meeting.id, RegistrationCreate(name="Someone", access_needs=needs))
    listed = await registration.list_registrations(db, meeting.id)
    assert listed.access_needs == {"bsl_interpreter": 1, "step_free_access": 2}


async def test_registration_details_are_cleared_some_days_after_the_meeting_and_only_once(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14)
    other = await schedule_in(db, days=20, area="Fenland")
    bo = await registration.register(db, "anonymous", meeting.id, RegistrationCreate(
        name="Bo", contact_email="bo@example.org", access_needs=["hearing_loop"], access_notes="I lip-read"))
    await registration.register(db, staff, meeting.id, RegistrationCreate(member_id="member-cy", access_notes="Aisle"))
    later = await registration.register(db, "anonymous", other.id, RegistrationCreate(name="Di"))
    ends = meeting.ends_at
    assert await clear_old_registration_details(db, 30, now=ends + timedelta(days=29)) == 0
    assert await clear_old_registration_details(db, 30, now=ends + timedelta(days=31)) == 2
    assert await clear_old_registration_details(db, 30, now=ends + timedelta(days=31)) == 0
    kept = await registration.get_registration(db, meeting.id, bo.id)
    assert (kept.name, kept.contact_email, kept.access_notes, kept.access_needs) == (
        None,
        None,
        None,
        ("hearing_loop",),
    )
    assert (await registration.get_registration(db, other.id, later.id)).name == "Di"
