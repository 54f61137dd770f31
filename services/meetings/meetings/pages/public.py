"""Public pages: the start page, upcoming meetings and pop-up forums, one meeting with its
calendar link, and registering to attend. No sign-in."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse

from forum_shared.errors import ForumError, NotFound
from forum_shared.ui import Form, rate_limit, read_form, render
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import MeetingStatus, PopUpStatus
from meetings.pages.common import ACCESS_OPTIONS, refused
from meetings.schemas import RegistrationCreate
from meetings.service import pop_ups, registration, schedule

router = APIRouter(include_in_schema=False)

REGISTER_MESSAGES = {
    "name": "Enter your name",
    "contact_email": "Enter an email address in the correct format, like name@example.com",
}


async def upcoming(db, area: str | None = None) -> list[dict]:
    """Public meetings and pop-up forums still to come, soonest first."""
    now = datetime.now(UTC)
    async with db.read() as session:
        meetings = await schedule.list_meetings(session)
        pop_up_list = await pop_ups.list_pop_ups(session)
    items = [
        {**m, "kind": "meeting"}
        for m in meetings
        if m["public"] and m["ends_at"] >= now and m["status"] != MeetingStatus.held
    ]
    items += [
        {**p, "kind": "pop_up", "title": f"Pop-up forum at {p['community_group_name'] or 'a community group'}"}
        for p in pop_up_list
        if p["ends_at"] >= now and p["status"] != PopUpStatus.held
    ]
    if area:
        items = [i for i in items if (i["area"] or "").casefold() == area.casefold()]
    return sorted(items, key=lambda i: i["starts_at"])


@router.get("/")
async def start_page(request: Request, db: DbDep):
    soon = [i for i in await upcoming(db) if i["status"] != MeetingStatus.cancelled][:3]
    return render(request, "home.html", soon=soon)


@router.get("/upcoming-meetings")
async def upcoming_page(request: Request, db: DbDep, settings: SettingsDep, area: str | None = None):
    area = area if area in settings.areas else None
    return render(
        request, "upcoming.html", items=await upcoming(db, area), areas=settings.areas, area=area
    )


async def _public_meeting(db, meeting_id: str) -> dict:
    async with db.read() as session:
        meeting = await schedule.get_meeting(session, meeting_id)
    if not meeting["public"]:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    return meeting


def _open(meeting: dict) -> bool:
    return meeting["status"] == MeetingStatus.scheduled and meeting["starts_at"] > datetime.now(UTC)


@router.get("/upcoming-meetings/{meeting_id}")
async def meeting_page(request: Request, meeting_id: str, db: DbDep):
    meeting = await _public_meeting(db, meeting_id)
    return render(request, "meeting.html", meeting=meeting, can_register=_open(meeting))


@router.get("/upcoming-meetings/pop-up-forums/{pop_up_id}")
async def pop_up_page(request: Request, pop_up_id: str, db: DbDep):
    async with db.read() as session:
        pop_up = await pop_ups.get_pop_up(session, pop_up_id)
    return render(request, "pop_up.html", pop_up=pop_up)


@router.get("/upcoming-meetings/{meeting_id}/register")
async def register_page(request: Request, meeting_id: str, db: DbDep):
    meeting = await _public_meeting(db, meeting_id)
    return render(
        request, "register.html", meeting=meeting, form=Form(), access=ACCESS_OPTIONS, closed=not _open(meeting)
    )


@router.post("/upcoming-meetings/{meeting_id}/register", dependencies=[Depends(rate_limit("public_form"))])
async def register(request: Request, meeting_id: str, db: DbDep):
    meeting = await _public_meeting(db, meeting_id)
    form = await read_form(request, RegistrationCreate, REGISTER_MESSAGES)
    # Members of the public give a name; a member's id is for staff to enter.
    errors = {k: v for k, v in form.errors.items() if k != "form"}
    if not form.values.get("name") or "form" in form.errors or form.values.get("member_id"):
        errors = {"name": "Enter your name", **errors}
    form.errors = errors
    if form.ok:
        try:
            async with db.transaction() as session:
                place = await registration.register(session, meeting_id, form.data)
        except ForumError as exc:
            refused(form, exc, ("name",), "name")
        else:
            return RedirectResponse(f"/upcoming-meetings/{meeting_id}/registered/{place['id']}", status_code=303)
    return render(
        request, "register.html", meeting=meeting, form=form, access=ACCESS_OPTIONS,
        closed=not _open(meeting), status_code=422,
    )


@router.get("/upcoming-meetings/{meeting_id}/registered/{registration_id}")
async def registered_page(request: Request, meeting_id: str, registration_id: str, db: DbDep):
    meeting = await _public_meeting(db, meeting_id)
    async with db.read() as session:
        place = await registration.get_registration(session, meeting_id, registration_id)
    # Only the outcome is shown: the link may be shared, so no name or contact details.
    return render(
        request, "registered.html", meeting=meeting, status=place["status"], position=place["waiting_position"]
    )
