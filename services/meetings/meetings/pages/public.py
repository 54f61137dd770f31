"""Public pages: the start page, upcoming meetings and pop-up forums, one meeting with its
calendar link, and registering to attend. No sign-in (members sign in at membership: see
`pages.members`; people manage their registration through the link emailed to them: `pages.manage`)."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.text import Line
from forum_shared.ui import Form, rate_limit, read_form, render
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import MeetingStatus
from meetings.pages.common import ACCESS_OPTIONS, refused
from meetings.pages.members import member_sign_in
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import meetings, pop_ups, registration
from meetings.service.upcoming import upcoming

router = APIRouter(include_in_schema=False)

REGISTER_MESSAGES = {
    "name": "Enter your name",
    "contact_email": "Enter an email address in the correct format, like name@example.com",
}


@router.get("/")
async def start_page(request: Request, db: DbDep) -> Response:
    soon = [i for i in await upcoming(db) if i.status != MeetingStatus.cancelled][:3]
    return render(request, "home.html", soon=soon)


@router.get("/upcoming-meetings")
async def upcoming_page(request: Request, db: DbDep, settings: SettingsDep, area: Line | None = None) -> Response:
    area = area if area in settings.areas else None
    return render(request, "upcoming.html", items=await upcoming(db, area), areas=settings.areas, area=area)


@router.get("/upcoming-meetings/{meeting_id}")
async def meeting_page(request: Request, meeting_id: str, db: DbDep) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id)
    can_register = meeting.open_for_registration(datetime.now(UTC))
    return render(request, "meeting.html", meeting=meeting, can_register=can_register)


@router.get("/upcoming-meetings/pop-up-forums/{pop_up_id}")
async def pop_up_page(request: Request, pop_up_id: str, db: DbDep) -> Response:
    return render(request, "pop_up.html", pop_up=await pop_ups.get_pop_up(db, pop_up_id))


@router.get("/upcoming-meetings/{meeting_id}/register")
async def register_page(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id)
    return render(
        request, "register.html", meeting=meeting, form=Form(), access=ACCESS_OPTIONS,
        closed=not meeting.open_for_registration(datetime.now(UTC)),
        member_sign_in=member_sign_in(request, settings, meeting_id),
    )


@router.post("/upcoming-meetings/{meeting_id}/register", dependencies=[Depends(rate_limit("public_form"))])
async def register(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id)
    form = await read_form(request, RegistrationCreate, REGISTER_MESSAGES)
    # Members of the public give a name; members sign in at membership instead (pages.members).
    errors = {k: v for k, v in form.errors.items() if k != "form"}
    if not form.values.get("name") or "form" in form.errors or form.values.get("member_id"):
        errors = {"name": "Enter your name", **errors}
    form.errors = errors
    if form.ok:
        try:
            place = await registration.register(db, "anonymous", meeting_id, form.data, organizer=settings.mail_from)
        except ForumError as exc:
            refused(form, exc, ("name",), "name")
        else:
            return RedirectResponse(f"/upcoming-meetings/{meeting_id}/registered/{place.id}", status_code=303)
    return render(
        request, "register.html", meeting=meeting, form=form, access=ACCESS_OPTIONS,
        closed=not meeting.open_for_registration(datetime.now(UTC)),
        member_sign_in=member_sign_in(request, settings, meeting_id), status_code=422,
    )


@router.get("/upcoming-meetings/{meeting_id}/registered/{registration_id}")
async def registered_page(request: Request, meeting_id: str, registration_id: str, db: DbDep) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id)
    place = await registration.get_registration(db, meeting_id, registration_id)
    # Only the outcome is shown: the link may be shared, so no name or contact details.
    return render(
        request, "registered.html", meeting=meeting, status=place.status, position=place.waiting_position
    )
