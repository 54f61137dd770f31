"""Holding a meeting: attendance for involvement records, minutes, actions agreed and completed."""

from datetime import UTC, date, datetime, timedelta

from forum_shared.events import ActionAgreed, ActionCompleted, MeetingHeld
from forum_shared.testing import wait_for
from meetings import domain


async def test_a_held_meeting_tells_membership_who_came_and_for_how_long(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        start = datetime.now(UTC) - timedelta(days=2)
        meeting = (await mt.staff.post("/meetings", json=meeting_at(start=start, hours=2.5))).json()
        resp = await mt.staff.post(
            f"/meetings/{meeting['id']}/held",
            json={
                "attendee_member_ids": ["m-1", "m-2", "m-1", " "],
                "public_attendees": 12,
                "minutes": "The trust explained the new crisis line.",
                "actions": [
                    {"description": "Share the crisis line poster", "owner_name": "Comms team", "due_on": "2030-01-15"}
                ],
            },
        )
        assert resp.status_code == 200, resp.text
        held = resp.json()
        assert (held["status"], held["hours"], held["public_attendees"]) == ("held", 2.5, 12)
        assert sorted(held["attendee_member_ids"]) == ["m-1", "m-2"]
        assert held["minutes"] == "The trust explained the new crisis line."
        assert [a["owner_name"] for a in held["actions"]] == ["Comms team"]
        seen_by_public = (await mt.client.get(f"/meetings/{meeting['id']}")).json()
        assert seen_by_public["minutes"] == held["minutes"] and seen_by_public["attendee_member_ids"] == []
        assert sorted((await mt.staff.get(f"/meetings/{meeting['id']}")).json()["attendee_member_ids"]) == [
            "m-1",
            "m-2",
        ]

        events = await wait_for(lambda: published(MeetingHeld, meeting["id"]), what="MeetingHeld")
        assert events[0].attendee_member_ids == ["m-1", "m-2"]
        assert (events[0].public_attendees, events[0].hours) == (12, 2.5)
        assert events[0].held_on == domain.local_day(start)
        agreed = await wait_for(lambda: published(ActionAgreed, meeting["id"]), what="ActionAgreed")
        assert (agreed[0].owner_name, agreed[0].due_on) == ("Comms team", date(2030, 1, 15))

        fixed = await mt.staff.put(f"/meetings/{meeting['id']}/minutes", json={"minutes": "Corrected minutes."})
        assert fixed.json()["minutes"] == "Corrected minutes."
        twice = await mt.staff.post(f"/meetings/{meeting['id']}/held", json={})
        assert twice.status_code == 409 and "already been recorded" in twice.json()["detail"]
        moved = await mt.staff.post(f"/meetings/{meeting['id']}/reschedule", json=meeting_at(days=3))
        assert moved.status_code == 409 and "already been held" in moved.json()["detail"]


async def test_a_meeting_is_recorded_as_held_only_once_it_has_started_and_not_if_cancelled(start_meetings, meeting_at):
    async with start_meetings() as mt:
        future = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
        early = await mt.staff.post(f"/meetings/{future['id']}/held", json={})
        assert early.status_code == 409 and "has not started yet" in early.json()["detail"]
        minutes = await mt.staff.put(f"/meetings/{future['id']}/minutes", json={"minutes": "Too soon"})
        assert minutes.status_code == 409
        action = await mt.staff.post(
            f"/meetings/{future['id']}/actions", json={"description": "Too soon", "owner_name": "Chair"}
        )
        assert action.status_code == 409 and "held first" in action.json()["detail"]

        past = (await mt.staff.post("/meetings", json=meeting_at(days=-5))).json()
        await mt.staff.post(f"/meetings/{past['id']}/cancel", json={})
        cancelled = await mt.staff.post(f"/meetings/{past['id']}/held", json={})
        assert cancelled.status_code == 409 and "cancelled" in cancelled.json()["detail"]

        other = (await mt.staff.post("/meetings", json=meeting_at(days=-6))).json()
        negative = await mt.staff.post(f"/meetings/{other['id']}/held", json={"public_attendees": -1})
        assert negative.status_code == 422 and "public_attendees" in negative.json()["detail"]
        too_long = await mt.staff.post(f"/meetings/{other['id']}/held", json={"attendee_member_ids": ["m" * 65]})
        assert too_long.status_code == 422 and "attendee_member_ids" in too_long.json()["detail"]
        assert (await mt.staff.post("/meetings/nope/held", json={})).status_code == 404


async def test_an_action_is_completed_once_and_not_in_the_future(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=-3))).json()
        await mt.staff.post(f"/meetings/{meeting['id']}/held", json={})
        resp = await mt.staff.post(
            f"/meetings/{meeting['id']}/actions",
            json={"description": "Write to the chief executive", "owner_name": "Chair"},
        )
        assert resp.status_code == 201, resp.text
        action = resp.json()
        assert [a["id"] for a in (await mt.staff.get("/actions", params={"status": "open"})).json()] == [action["id"]]

        tomorrow = str(datetime.now(UTC).date() + timedelta(days=2))
        future = await mt.staff.post(f"/actions/{action['id']}/complete", json={"completed_on": tomorrow})
        assert future.status_code == 422 and "future" in future.json()["detail"]
        done = await mt.staff.post(f"/actions/{action['id']}/complete", json={})
        assert done.status_code == 200 and done.json()["status"] == "completed"
        again = await mt.staff.post(f"/actions/{action['id']}/complete", json={})
        assert again.status_code == 409 and "already completed" in again.json()["detail"]
        events = await wait_for(lambda: published(ActionCompleted, action["id"]), what="ActionCompleted")
        assert events[0].completed_on == date.fromisoformat(done.json()["completed_on"])
        assert (await mt.staff.get("/actions", params={"status": "open"})).json() == []
        assert (await mt.staff.post("/actions/nope/complete", json={})).status_code == 404
