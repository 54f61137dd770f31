"""The iCalendar feed and per-meeting files, read back with a standard parser (icalendar)."""

from datetime import UTC, datetime, timedelta

import icalendar

# The clocks go back on Sunday 27 October 2030 and forward on Sunday 30 March 2031.
AROUND_CLOCK_CHANGES = [
    ("2030-10-24T19:00", 18),  # Thursday before October's change: BST, 18:00 UTC
    ("2030-10-31T19:00", 19),  # Thursday after it: GMT, 19:00 UTC
    ("2031-03-27T19:00", 19),  # Thursday before March's change: GMT
    ("2031-04-03T19:00", 18),  # Thursday after it: BST
]


def events_in(body: bytes) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["uid"]): e for e in calendar.walk("VEVENT")}


async def test_the_feed_shows_7pm_as_7pm_on_both_sides_of_the_clock_changes(start_meetings):
    async with start_meetings() as mt:
        ids = []
        for index, (local, _) in enumerate(AROUND_CLOCK_CHANGES):
            start = datetime.fromisoformat(local)
            resp = await mt.staff.post(
                "/meetings",
                json={
                    "title": f"Forum {index}",
                    "starts_at": local,
                    "ends_at": (start + timedelta(hours=2)).isoformat(),
                    "venue": "Huntingdon Library",
                    "address": "Princes Street, Huntingdon",
                    "area": "Huntingdonshire",
                },
            )
            assert resp.status_code == 201, resp.text
            ids.append(resp.json()["id"])

        feed = await mt.client.get("/calendar.ics")
        assert feed.status_code == 200
        assert feed.headers["content-type"].startswith("text/calendar")
        calendar = icalendar.Calendar.from_ical(feed.content)
        assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/London"]
        events = events_in(feed.content)
        assert len(events) == 4
        for meeting_id, (_, utc_hour) in zip(ids, AROUND_CLOCK_CHANGES, strict=True):
            event = events[f"meeting-{meeting_id}@meetings.partnership-forum"]
            start = event.decoded("dtstart")
            assert event["dtstart"].params["TZID"] == "Europe/London"
            assert (start.hour, start.minute) == (19, 0)
            assert start.astimezone(UTC).hour == utc_hour
            assert event.decoded("dtend").hour == 21
            assert str(event["location"]) == "Huntingdon Library, Princes Street, Huntingdon, Huntingdonshire"
            assert str(event["status"]) == "CONFIRMED"


async def test_a_cancelled_or_moved_meeting_keeps_its_uid_and_shows_the_change(start_meetings, meeting_at):
    async with start_meetings() as mt:
        meeting = (
            await mt.staff.post(
                "/meetings",
                json=meeting_at(days=20, online_url="https://meet.example.org/f", access_services=["bsl_interpreter"]),
            )
        ).json()
        hidden = (await mt.staff.post("/meetings", json=meeting_at(days=21, public=False))).json()
        uid = f"meeting-{meeting['id']}@meetings.partnership-forum"

        before = events_in((await mt.client.get("/calendar.ics")).content)
        assert list(before) == [uid]  # meetings closed to the public stay out of the feed
        assert before[uid].decoded("sequence") == 0
        assert "BSL interpreter" in str(before[uid]["description"])
        assert str(before[uid]["url"]) == "https://meet.example.org/f"

        await mt.staff.post(
            f"/meetings/{meeting['id']}/reschedule",
            json={"starts_at": "2030-11-07T18:00", "ends_at": "2030-11-07T20:00"},
        )
        await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={"reason": "Storm warning."})
        after = events_in((await mt.client.get("/calendar.ics")).content)
        assert list(after) == [uid]
        assert str(after[uid]["status"]) == "CANCELLED"
        assert after[uid].decoded("sequence") == 2
        assert after[uid].decoded("dtstart").hour == 18
        assert "Storm warning." in str(after[uid]["description"])

        single = await mt.client.get(f"/meetings/{meeting['id']}.ics")
        assert single.status_code == 200
        assert single.headers["content-type"].startswith("text/calendar")
        assert "attachment" in single.headers["content-disposition"]
        assert list(events_in(single.content)) == [uid]
        assert [tz["TZID"] for tz in icalendar.Calendar.from_ical(single.content).walk("VTIMEZONE")] == [
            "Europe/London"
        ]
        assert (await mt.client.get(f"/meetings/{hidden['id']}.ics")).status_code == 404
        assert (await mt.staff.get(f"/meetings/{hidden['id']}.ics")).status_code == 200
        assert (await mt.client.get("/meetings/nope.ics")).status_code == 404


async def test_an_empty_feed_is_still_a_valid_calendar(start_meetings):
    async with start_meetings() as mt:
        calendar = icalendar.Calendar.from_ical((await mt.client.get("/calendar.ics")).content)
        assert str(calendar["x-wr-calname"]) == "Partnership Forum meetings"
        assert calendar.walk("VEVENT") == []
