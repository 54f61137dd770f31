"""Reminders: `MeetingReminderDue` a day before, raised once per meeting by a periodic check."""

from datetime import UTC, datetime, timedelta

from forum_shared.events import MeetingReminderDue
from forum_shared.testing import wait_for
from meetings.service.reminders import check_reminders


async def test_a_reminder_is_raised_once_a_day_before_each_meeting(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        t = datetime.now(UTC).replace(microsecond=0)
        first = (await mt.staff.post("/meetings", json=meeting_at(start=t + timedelta(hours=30)))).json()
        second = (
            await mt.staff.post("/meetings", json=meeting_at(start=t + timedelta(hours=50), area="Fenland"))
        ).json()
        cancelled = (
            await mt.staff.post("/meetings", json=meeting_at(start=t + timedelta(hours=31), area="Huntingdonshire"))
        ).json()
        await mt.staff.post(f"/meetings/{cancelled['id']}/cancel", json={})

        async def check(at: datetime) -> list[str]:
            return await check_reminders(mt.db, at)

        assert await check(t) == []
        assert await check(t + timedelta(hours=7)) == [first["id"]]
        assert await check(t + timedelta(hours=8)) == []
        assert await check(t + timedelta(hours=27)) == [second["id"]]
        assert await check(t + timedelta(hours=29)) == []

        # Moved to another day: people are reminded of the new time.
        moved = t + timedelta(days=3)
        await mt.staff.post(
            f"/meetings/{first['id']}/reschedule",
            json={"starts_at": moved.isoformat(), "ends_at": (moved + timedelta(hours=2)).isoformat()},
        )
        assert await check(moved - timedelta(hours=2)) == [first["id"]]

        async def reminders():
            found = await published(MeetingReminderDue, first["id"])
            return found if len(found) == 2 else None

        sent = await wait_for(reminders, what="two reminders for the moved meeting")
        assert [r.starts_at for r in sent] == [t + timedelta(hours=30), moved]
        assert len(await published(MeetingReminderDue, second["id"])) == 1
        assert await published(MeetingReminderDue, cancelled["id"]) == []


async def test_the_service_checks_for_due_reminders_in_the_background(start_meetings, meeting_at, published):
    async with start_meetings(reminder_check_seconds=0.1) as mt:
        soon = (await mt.staff.post("/meetings", json=meeting_at(days=0.5))).json()
        await wait_for(
            lambda: published(MeetingReminderDue, soon["id"]), what="reminder raised by the background check"
        )
        # Many checks later, still only one reminder for that meeting.
        later = (await mt.staff.post("/meetings", json=meeting_at(days=0.6, area="Fenland"))).json()
        await wait_for(lambda: published(MeetingReminderDue, later["id"]), what="second meeting's reminder")
        assert len(await published(MeetingReminderDue, soon["id"])) == 1
