"""iCalendar: a feed of public meetings, and one file per meeting."""

from fastapi import APIRouter, Response

from forum_shared.web import DbDep
from meetings import ical
from meetings.deps import SettingsDep
from meetings.service import schedule

router = APIRouter(tags=["calendar"])

CALENDAR = "text/calendar; charset=utf-8"
AS_CALENDAR = {200: {"content": {"text/calendar": {}}, "description": "An iCalendar (RFC 5545) file."}}


@router.get("/calendar.ics", response_class=Response, responses=AS_CALENDAR)
async def calendar_feed(db: DbDep, settings: SettingsDep) -> Response:
    """Every public meeting as an iCalendar feed to subscribe to."""
    async with db.read() as session:
        meetings = await schedule.calendar_meetings(session)
    return Response(ical.calendar_of(meetings, settings.calendar_name), media_type=CALENDAR)


@router.get("/meetings/{meeting_id}.ics", response_class=Response, responses=AS_CALENDAR)
async def meeting_calendar(meeting_id: str, db: DbDep, settings: SettingsDep) -> Response:
    """One meeting as an iCalendar file to add to a calendar."""
    async with db.read() as session:
        meetings = await schedule.calendar_meetings(session, meeting_id)
    return Response(
        ical.calendar_of(meetings, settings.calendar_name),
        media_type=CALENDAR,
        headers={"Content-Disposition": f'attachment; filename="partnership-forum-{meeting_id}.ics"'},
    )
