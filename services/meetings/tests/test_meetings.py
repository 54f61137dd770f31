"""Forum meetings through the API: scheduling in UK time, rescheduling, cancelling, and bad input."""

from datetime import UTC, datetime, timedelta

from forum_shared.events import MeetingCancelled, MeetingRescheduled, MeetingScheduled
from forum_shared.testing import read_stream, wait_for


async def test_a_meeting_is_scheduled_in_uk_time_and_its_event_published(start_meetings, published):
    async with start_meetings() as mt:
        resp = await mt.staff.post(
            "/meetings",
            json={
                "title": "Partnership Forum — July",
                "starts_at": "2030-07-04T19:00",
                "ends_at": "2030-07-04T21:00",
                "venue": "Ely Library",
                "address": "6 Market Street, Ely",
                "area": "east cambridgeshire",
                "online_url": "https://meet.example.org/forum",
                "capacity": 40,
                "access_services": ["bsl_interpreter", "hearing_loop", "travel_expenses"],
            },
        )
        assert resp.status_code == 201, resp.text
        meeting = resp.json()
        assert meeting["starts_at"] == "2030-07-04T19:00:00+01:00"
        assert meeting["area"] == "East Cambridgeshire"
        assert meeting["attendance_mode"] == "hybrid"
        assert (meeting["status"], meeting["capacity"], meeting["places_left"]) == ("scheduled", 40, 40)
        assert meeting["access_services"] == ["bsl_interpreter", "hearing_loop", "travel_expenses"]
        assert meeting["timezone"] == "Europe/London"

        events = await wait_for(lambda: published(MeetingScheduled, meeting["id"]), what="MeetingScheduled")
        assert events[0].starts_at == datetime(2030, 7, 4, 18, tzinfo=UTC)
        assert (events[0].area, events[0].public) == ("East Cambridgeshire", True)

        listed = (await mt.client.get("/meetings", params={"status": "scheduled"})).json()
        assert [m["id"] for m in listed] == [meeting["id"]]
        assert (await mt.client.get("/meetings", params={"status": "cancelled"})).json() == []


async def test_a_winter_meeting_keeps_its_local_time_and_an_online_one_has_no_area(start_meetings):
    async with start_meetings() as mt:
        resp = await mt.staff.post(
            "/meetings",
            json={"starts_at": "2030-12-05T14:00", "ends_at": "2030-12-05T16:00", "online_url": "https://meet.example.org/x"},
        )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["starts_at"] in ("2030-12-05T14:00:00Z", "2030-12-05T14:00:00+00:00")
        assert (body["attendance_mode"], body["area"], body["venue"]) == ("online", None, None)


async def test_bad_meeting_details_get_a_4xx_with_a_message_a_person_can_act_on(start_meetings, meeting_at):
    async with start_meetings() as mt:
        cases = [
            (meeting_at(venue=None), "venue, an online link"),
            (meeting_at(area=None), "which area"),
            (meeting_at(area="Norwich"), "Choose one of: Cambridge"),
            (meeting_at(hours=-1), "end must be after the start"),
            ({**meeting_at(), "starts_at": "2031-03-30T01:30", "ends_at": "2031-03-30T03:00"}, "clocks go forward"),
            (meeting_at(capacity=0), "capacity"),
            (meeting_at(access_services=["a_unicorn"]), "access_services"),
            (meeting_at(online_url="not a link"), "online_url"),
            (meeting_at(online_url="https://meet.example.org/" + "x" * 500), "online_url"),
            (meeting_at(title="x" * 201), "title"),
            (meeting_at(colour="red"), "colour"),
            ({"venue": "Hall", "area": "Fenland"}, "This field is required"),
        ]
        for body, message in cases:
            resp = await mt.staff.post("/meetings", json=body)
            assert resp.status_code == 422, (body, resp.text)
            assert message in resp.json()["detail"], (message, resp.json())
        missing = await mt.client.get("/meetings/no-such-meeting")
        assert missing.status_code == 404
        assert "no meeting with id no-such-meeting" in missing.json()["detail"]
        assert (await mt.client.get("/meetings", params={"status": "lost"})).status_code == 422


async def test_a_meeting_is_rescheduled_and_calendars_are_told(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=20))).json()
        resp = await mt.staff.post(
            f"/meetings/{meeting['id']}/reschedule",
            json={
                "starts_at": "2030-10-31T18:30",
                "ends_at": "2030-10-31T20:30",
                "venue": "Wisbech Town Hall",
                "area": "Fenland",
            },
        )
        assert resp.status_code == 200, resp.text
        moved = resp.json()
        assert (moved["starts_at"], moved["venue"], moved["area"]) == (
            "2030-10-31T18:30:00Z",
            "Wisbech Town Hall",
            "Fenland",
        )
        events = await wait_for(lambda: published(MeetingRescheduled, meeting["id"]), what="MeetingRescheduled")
        assert events[0].starts_at == datetime(2030, 10, 31, 18, 30, tzinfo=UTC)
        assert events[0].area == "Fenland"

        online = await mt.staff.post(f"/meetings/{meeting['id']}/reschedule", json={"venue": None, "online_url": "https://meet.example.org/y"})
        assert online.status_code == 200, online.text
        assert (online.json()["attendance_mode"], online.json()["area"], online.json()["address"]) == (
            "online",
            None,
            None,
        )

        half = await mt.staff.post(f"/meetings/{meeting['id']}/reschedule", json={"starts_at": "2030-11-01T18:00"})
        assert half.status_code == 422
        assert "both the new start and the new end" in half.json()["detail"]
        nothing = await mt.staff.post(f"/meetings/{meeting['id']}/reschedule", json={})
        assert nothing.status_code == 422


async def test_a_cancelled_meeting_cannot_be_cancelled_or_moved_again(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=10))).json()
        resp = await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={"reason": "The venue flooded."})
        assert resp.status_code == 200, resp.text
        assert (resp.json()["status"], resp.json()["cancel_reason"]) == ("cancelled", "The venue flooded.")
        events = await wait_for(lambda: published(MeetingCancelled, meeting["id"]), what="MeetingCancelled")
        assert events[0].meeting_id == meeting["id"] and "reason" not in events[0].model_dump()

        again = await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={})
        assert again.status_code == 409
        assert "already been cancelled" in again.json()["detail"] or "has been cancelled" in again.json()["detail"]
        moved = await mt.staff.post(f"/meetings/{meeting['id']}/reschedule", json=meeting_at(days=12))
        assert moved.status_code == 409


async def test_a_cancellation_reason_stays_on_the_forums_own_pages_and_never_reaches_the_bus(
    start_meetings, meeting_at, published, nats_server
):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=10))).json()
        reason = "Robin Quill, who was to chair it, is unwell: ring 07700 900777 with questions."
        assert (await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={"reason": reason})).status_code == 200
        await wait_for(lambda: published(MeetingCancelled, meeting["id"]), what="MeetingCancelled")

        on_the_bus = await read_stream(nats_server, "MEETINGS")
        assert on_the_bus, "the stream holds the meetings service's events"
        for message in on_the_bus:
            sent = message.data + repr(message.headers).encode()
            assert b"Robin Quill" not in sent and b"07700" not in sent, message.subject
        # Meetings keeps it for the people who come to its pages.
        assert "Robin Quill" in (await mt.client.get(f"/upcoming-meetings/{meeting['id']}")).text


async def test_details_change_but_places_never_drop_below_those_already_taken(start_meetings, meeting_at):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=10, capacity=3))).json()
        for name in ("Ann", "Bo"):
            await mt.client.post(f"/meetings/{meeting['id']}/registrations", json={"name": name})
        too_few = await mt.staff.patch(f"/meetings/{meeting['id']}", json={"capacity": 1})
        assert too_few.status_code == 409
        assert "2 people already have a place" in too_few.json()["detail"]
        changed = await mt.staff.patch(
            f"/meetings/{meeting['id']}",
            json={"title": "Forum: winter pressures", "access_services": ["step_free_access"]},
        )
        assert changed.status_code == 200, changed.text
        assert changed.json()["title"] == "Forum: winter pressures"
        assert changed.json()["access_services"] == ["step_free_access"]
        blank = await mt.staff.patch(f"/meetings/{meeting['id']}", json={"title": "  "})
        assert blank.status_code == 422
        assert "needs a title" in blank.json()["detail"]


async def test_a_meeting_entered_after_the_fact_is_kept_with_a_warning(start_meetings, meeting_at):
    async with start_meetings() as mt:
        resp = await mt.staff.post("/meetings", json=meeting_at(days=-3))
        assert resp.status_code == 201
        assert any("starts in the past" in w for w in resp.json()["warnings"])
        assert (await mt.client.get(f"/meetings/{resp.json()['id']}")).json()["warnings"] == []


async def test_times_are_shown_with_the_offset_in_force_on_the_day(start_meetings, meeting_at):
    async with start_meetings() as mt:
        before = datetime(2030, 10, 26, 17, tzinfo=UTC)  # Saturday before the clocks go back
        after = before + timedelta(days=2)
        first = (await mt.staff.post("/meetings", json=meeting_at(start=before))).json()
        second = (await mt.staff.post("/meetings", json=meeting_at(start=after, area="Fenland"))).json()
        assert first["starts_at"] == "2030-10-26T18:00:00+01:00"
        assert second["starts_at"] in ("2030-10-28T17:00:00Z", "2030-10-28T17:00:00+00:00")


async def test_a_meeting_not_open_to_the_public_is_shown_to_staff_only(start_meetings, meeting_at):
    async with start_meetings() as mt:
        private = (await mt.staff.post("/meetings", json=meeting_at(public=False))).json()
        assert private["public"] is False
        assert private["id"] not in [m["id"] for m in (await mt.client.get("/meetings")).json()]
        assert (await mt.client.get(f"/meetings/{private['id']}")).status_code == 404
        assert private["id"] in [m["id"] for m in (await mt.staff.get("/meetings")).json()]
        assert (await mt.staff.get(f"/meetings/{private['id']}")).status_code == 200
