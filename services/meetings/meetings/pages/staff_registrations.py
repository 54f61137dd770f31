"""Staff pages for a meeting's registrations: who has a place, the waiting list in order, and
registering or cancelling someone."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import Response

from forum_shared.errors import ForumError
from forum_shared.identity.principal import Principal
from forum_shared.ui import Form, StaffUser, read_form, render
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import RegistrationStatus
from meetings.pages.common import ACCESS_OPTIONS
from meetings.pages.staff_meetings import back_to_meeting
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import meetings, registration

router = APIRouter(include_in_schema=False)

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"


async def _registrations_page(
    request: Request, db: DbDep, user: Principal, meeting_id: str, form: Form, status_code: int = 200
) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    listed = await registration.list_registrations(db, meeting_id)
    return render(
        request, "staff/registrations.html", meeting=meeting, listed=listed, form=form, access=ACCESS_OPTIONS,
        open=meeting.open_for_registration(datetime.now(UTC)), status_code=status_code,
    )


@router.get("/staff/meetings/{meeting_id}/registrations")
async def registrations_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    return await _registrations_page(request, db, user, meeting_id, Form())


@router.post("/staff/meetings/{meeting_id}/registrations")
async def add_registration(
    request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser
) -> Response:
    form = await read_form(request, RegistrationCreate, {"contact_email": EMAIL_MESSAGE})
    if "form" in form.errors:
        message = form.errors.pop("form").removeprefix("Form: ").removeprefix("This: ").removeprefix("Value error, ")
        form.add_error("member_id", message)
    if form.ok:
        try:
            place = await registration.register(db, user, meeting_id, form.data, organizer=settings.mail_from)
        except ForumError as exc:
            form.add_error("member_id", exc.message)
        else:
            text = "Registered: they have a place." if place.status == RegistrationStatus.registered else (
                f"The meeting is full: they are number {place.waiting_position} on the waiting list."
            )
            return back_to_meeting(meeting_id, text, request, "/registrations")
    return await _registrations_page(request, db, user, meeting_id, form, 422)


@router.post("/staff/meetings/{meeting_id}/registrations/{registration_id}/cancel")
async def cancel_registration(
    request: Request, meeting_id: str, registration_id: str, db: DbDep, settings: SettingsDep, user: StaffUser
) -> Response:
    await registration.cancel_registration(db, user, meeting_id, registration_id, organizer=settings.mail_from)
    return back_to_meeting(
        meeting_id, "Registration cancelled. The next person waiting, if any, now has the place.", request,
        "/registrations",
    )
