"""iCalendar: a feed of public meetings, and one file per meeting."""

from fastapi import APIRouter, Response

from forum_shared.errors import NotFound
from forum_shared.ui import MaybeSignedIn
from forum_shared.web import DbDep
from meetings.api.meetings import is_staff
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
async def meeting_calendar(meeting_id: str, db: DbDep, settings: SettingsDep, user: MaybeSignedIn) -> Response:
    """One meeting as an iCalendar file to add to a calendar (staff only, for a meeting not open
    to the public: they send it to the people invited)."""
    async with db.read() as session:
        meetings = await schedule.calendar_meetings(session, meeting_id)
    if not is_staff(user) and not all(m["public"] for m in meetings):
        raise NotFound(f"There is no public meeting {meeting_id}.")
    return Response(
        ical.calendar_of(meetings, settings.calendar_name),
        media_type=CALENDAR,
        headers={"Content-Disposition": f'attachment; filename="partnership-forum-{meeting_id}.ics"'},
    )
