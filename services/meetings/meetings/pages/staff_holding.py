"""Staff pages for holding a meeting: attendance, minutes, and the actions agreed and followed up."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.identity.principal import Principal
from forum_shared.text import Line
from forum_shared.ui import Form, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep
from meetings import domain
from meetings.domain import ActionStatus, RegistrationStatus
from meetings.pages.staff_meetings import back_to_meeting
from meetings.schemas.actions import ActionCompletion, ActionCreate
from meetings.schemas.meetings import MeetingHeldCreate, MinutesUpdate
from meetings.service import holding, meetings, registration

router = APIRouter(include_in_schema=False)

HELD_MESSAGES = {
    "public_attendees": "Members of the public must be a whole number, 0 or more",
    "hours": "Hours must be a number more than 0 and no more than 12",
}
ACTION_MESSAGES: dict[str, str | dict[str, str]] = {
    "description": {"*": "Describe the action in at least 3 characters"},
    "owner_name": {"missing": "Enter the role or organisation that will do it"},
    "due_on": "Due date must be a real date",
}


async def _held_page(
    request: Request, db: DbDep, user: Principal, meeting_id: str, form: Form, status_code: int = 200
) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    listed = await registration.list_registrations(db, meeting_id)
    members = [
        r.member_id for r in listed.registrations if r.member_id and r.status == RegistrationStatus.registered
    ]
    return render(request, "staff/held.html", meeting=meeting, members=members, form=form, status_code=status_code)


@router.get("/staff/meetings/{meeting_id}/held")
async def held_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    return await _held_page(request, db, user, meeting_id, Form({"public_attendees": "0"}))


@router.post("/staff/meetings/{meeting_id}/held")
async def record_held(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    posted = await request.form()
    others = str(posted.get("other_member_ids", ""))
    values: dict[str, object] = {
        name: str(posted.get(name, "")).strip() for name in ("public_attendees", "hours", "minutes")
    }
    values["attendee_member_ids"] = [*posted.getlist("attendee_member_ids"), *others.replace(",", "\n").split()]
    form = validate_form(MeetingHeldCreate, values, HELD_MESSAGES)
    form.values["other_member_ids"] = others
    if form.ok:
        try:
            await holding.record_meeting_held(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("public_attendees", exc.message)
        else:
            text = "Meeting recorded as held. Membership will record the attendance."
            return back_to_meeting(meeting_id, text, request)
    return await _held_page(request, db, user, meeting_id, form, 422)


@router.get("/staff/meetings/{meeting_id}/minutes")
async def minutes_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    return render(request, "staff/minutes.html", meeting=meeting, form=Form({"minutes": meeting.minutes or ""}))


@router.post("/staff/meetings/{meeting_id}/minutes")
async def save_minutes(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    form = await read_form(request, MinutesUpdate, {"minutes": "Enter the minutes"})
    if form.ok:
        try:
            await holding.update_minutes(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("minutes", exc.message)
        else:
            return back_to_meeting(meeting_id, "Minutes saved.", request)
    return render(request, "staff/minutes.html", meeting=meeting, form=form, status_code=422)


@router.get("/staff/meetings/{meeting_id}/actions/new")
async def new_action_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    return render(request, "staff/action_form.html", meeting=meeting, form=Form())


@router.post("/staff/meetings/{meeting_id}/actions/new")
async def agree_action(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    form = await read_form(request, ActionCreate, ACTION_MESSAGES)
    if form.ok:
        try:
            await holding.agree_action(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("description", exc.message)
        else:
            return back_to_meeting(meeting_id, "Action recorded.", request)
    return render(request, "staff/action_form.html", meeting=meeting, form=form, status_code=422)


@router.get("/staff/actions")
async def actions_page(request: Request, db: DbDep, user: StaffUser, status: Line | None = "open") -> Response:
    shown = ActionStatus(status) if status in set(ActionStatus) else None
    return render(
        request, "staff/actions.html", actions=await holding.list_actions(db, shown), status=shown,
        today=domain.local_day(datetime.now(UTC)),
    )


def _back_to_actions(request: Request, text: str, problem: bool = False) -> Response:
    response = RedirectResponse("/staff/actions", 303)
    if problem:
        return notify(response, request, text, title="There is a problem", kind="info")
    return notify(response, request, text)


@router.post("/staff/actions/{action_id}/complete")
async def complete_action(request: Request, action_id: str, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, ActionCompletion)
    if not form.ok:
        return _back_to_actions(request, "Give a real date.", problem=True)
    try:
        await holding.complete_action(db, user, action_id, form.data)
    except ForumError as exc:
        if exc.status_code == 404:
            raise
        return _back_to_actions(request, exc.message, problem=True)
    return _back_to_actions(request, "Action marked as done.")
