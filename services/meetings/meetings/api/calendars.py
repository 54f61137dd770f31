"""iCalendar: a feed of public meetings, and one file per meeting."""

from typing import Any

from fastapi import APIRouter, Response

from forum_shared.ui import MaybeSignedIn
from forum_shared.web import DbDep
from meetings import ical
from meetings.deps import SettingsDep
from meetings.service import meetings

router = APIRouter(tags=["calendar"])

CALENDAR = "text/calendar; charset=utf-8"
AS_CALENDAR: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/calendar": {}}, "description": "An iCalendar (RFC 5545) file."}
}


@router.get("/calendar.ics", response_class=Response, responses=AS_CALENDAR)
async def calendar_feed(db: DbDep, settings: SettingsDep) -> Response:
    """Every public meeting as an iCalendar feed to subscribe to."""
    feed = await meetings.calendar_meetings(db)
    return Response(ical.calendar_of(feed, settings.calendar_name), media_type=CALENDAR)


@router.get("/meetings/{meeting_id}.ics", response_class=Response, responses=AS_CALENDAR)
async def meeting_calendar(meeting_id: str, db: DbDep, settings: SettingsDep, user: MaybeSignedIn) -> Response:
    """One meeting as an iCalendar file to add to a calendar (staff only, for a meeting not open
    to the public: they send it to the people invited)."""
    one = await meetings.calendar_meetings(db, user, meeting_id)
    return Response(
        ical.calendar_of(one, settings.calendar_name),
        media_type=CALENDAR,
        headers={"Content-Disposition": f'attachment; filename="partnership-forum-{meeting_id}.ics"'},
    )
