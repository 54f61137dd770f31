"""Moving around the county and the periodic checks: the area that has waited longest, meetings per
area over a year, and reminders a day before each meeting. The use cases called directly."""

from datetime import UTC, datetime, timedelta

from forum_shared.events.meetings import MeetingReminderDue
from meetings.schemas.meetings import CancellationCreate
from meetings.service import rotation, schedule
from meetings.service.reminders import check_reminders

AREAS = ["Cambridge", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough", "South Cambridgeshire"]


async def test_the_area_never_visited_is_suggested_then_the_one_that_waited_longest(db, schedule_in):
    for days, area in ((-60, "Fenland"), (-30, "Peterborough"), (-90, "Huntingdonshire"),
                       (-20, "East Cambridgeshire"), (-10, "South Cambridgeshire")):
        await schedule_in(db, days=days, area=area)
    assert (await rotation.area_suggestion(db, AREAS)).suggested_area == "Cambridge"
    meeting = await schedule_in(db, days=10, area="Cambridge")
    suggestion = await rotation.area_suggestion(db, AREAS)
    assert suggestion.suggested_area == "Huntingdonshire"
    last = {row.area: row.last_meeting_on for row in suggestion.areas}
    assert last["Cambridge"] == meeting.starts_at.date()


async def test_the_report_counts_meetings_per_area_over_the_last_year_leaving_out_cancelled_ones(
    db, staff, schedule_in
):
    for days, area in (
        (-400, "Fenland"),
        (-200, "Fenland"),
        (-100, "Fenland"),
        (-50, "Cambridge"),
        (30, "Peterborough"),
    ):
        await schedule_in(db, days=days, area=area)
    cancelled = await schedule_in(db, days=-40, area="Peterborough")
    await schedule.cancel_meeting(db, staff, cancelled.id, CancellationCreate())
    await schedule_in(db, days=-20, venue=None, area=None, online_url="https://meet.example.org/z")
    report = await rotation.area_report(db, AREAS)
    assert {row.area: row.meetings for row in report.areas} == {
        "Cambridge": 1, "East Cambridgeshire": 0, "Fenland": 2, "Huntingdonshire": 0, "Peterborough": 0,
        "South Cambridgeshire": 0,
    }
    assert report.online_only == 1 and report.to_date > report.from_date


async def test_an_area_no_longer_configured_still_shows_in_the_report(db, schedule_in):
    await schedule_in(db, days=-30, area="Fenland")
    report = await rotation.area_report(db, ["Cambridge"])
    assert [(row.area, row.meetings) for row in report.areas] == [("Cambridge", 0), ("Fenland", 1)]


async def test_a_reminder_is_raised_once_a_day_before_each_meeting_but_not_for_a_cancelled_one(
    db, staff, schedule_in, recorded
):
    t = datetime.now(UTC).replace(microsecond=0)
    first = await schedule_in(db, start=t + timedelta(hours=30))
    second = await schedule_in(db, start=t + timedelta(hours=50), area="Fenland")
    cancelled = await schedule_in(db, start=t + timedelta(hours=31), area="Peterborough")
    await schedule.cancel_meeting(db, staff, cancelled.id, CancellationCreate())
    assert await check_reminders(db, t) == []
    assert await check_reminders(db, t + timedelta(hours=7)) == [first.id]
    assert await check_reminders(db, t + timedelta(hours=8)) == []
    assert await check_reminders(db, t + timedelta(hours=27)) == [second.id]
    reminders = await recorded(db, MeetingReminderDue)
    assert [(r.meeting_id, r.starts_at) for r in reminders] == [
        (first.id, first.starts_at),
        (second.id, second.starts_at),
    ]
