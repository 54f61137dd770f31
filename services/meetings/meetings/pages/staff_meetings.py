"""Staff pages for forum meetings: the list, scheduling, one meeting, changing, moving and
cancelling it, and where the forum has met."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.text import Line
from forum_shared.ui import Form, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import MeetingStatus
from meetings.pages.common import ACCESS_OPTIONS, full_form, local_input, refused
from meetings.schemas.meetings import CancellationCreate, MeetingCreate, MeetingReschedule, MeetingUpdate
from meetings.service import agenda, meetings, rotation, schedule

router = APIRouter(include_in_schema=False)

PLACE_FIELDS = ("starts_at", "ends_at", "venue", "address", "area", "online_url", "capacity")
MEETING_MESSAGES = {
    "title": "Enter a title",
    "starts_at": "Enter the start date and time",
    "ends_at": "Enter the end date and time",
    "online_url": "Enter the link to join online, starting with https://",
    "capacity": "Number of places must be a whole number from 1 to 10,000",
}


def back_to_meeting(meeting_id: str, notice: str, request: Request, path: str = "") -> Response:
    return notify(RedirectResponse(f"/staff/meetings/{meeting_id}{path}", status_code=303), request, notice)


@router.get("/staff/meetings")
async def meetings_page(request: Request, db: DbDep, user: StaffUser, status: Line | None = None) -> Response:
    shown = MeetingStatus(status) if status in set(MeetingStatus) else None
    return render(
        request, "staff/meetings.html", meetings=await meetings.list_meetings(db, user, shown),
        waiting=await agenda.waiting_items(db), status=shown,
        statuses=[(s.value, s.value.capitalize()) for s in MeetingStatus],
    )


@router.get("/staff/meetings/new")
async def new_meeting_page(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    suggestion = (await rotation.area_suggestion(db, settings.areas)).suggested_area
    form = Form({"title": "Partnership Forum", "public": "yes", "area": suggestion or ""})
    return render(request, "staff/meeting_form.html", form=form, areas=settings.areas, access=ACCESS_OPTIONS,
                  suggestion=suggestion)


@router.post("/staff/meetings/new")
async def schedule_meeting(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    posted = await request.form()
    values: dict[str, object] = {name: str(posted.get(name, "")).strip() for name in MeetingCreate.model_fields}
    values["access_services"] = posted.getlist("access_services")
    values["public"] = "true" if posted.get("public") == "yes" else "false"
    form = validate_form(MeetingCreate, values, MEETING_MESSAGES)
    form.values["public"] = posted.get("public", "")
    if not values["title"]:  # the API's default title is for programs; a person names the meeting
        form.errors = {"title": MEETING_MESSAGES["title"], **form.errors}
    if form.ok:
        try:
            planned = await schedule.schedule_meeting(db, user, form.data, settings.areas)
        except ForumError as exc:
            refused(form, exc, PLACE_FIELDS, "starts_at")
        else:
            text = "Meeting scheduled." + "".join(f" {w}" for w in planned.warnings)
            return back_to_meeting(planned.meeting.id, text, request)
    return render(request, "staff/meeting_form.html", form=form, areas=settings.areas, access=ACCESS_OPTIONS,
                  suggestion=None, status_code=422)


@router.get("/staff/meetings/{meeting_id}")
async def meeting_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    return render(request, "staff/meeting.html", meeting=meeting, started=meeting.starts_at <= datetime.now(UTC))


@router.get("/staff/meetings/{meeting_id}/edit")
async def edit_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    form = Form({
        "title": meeting.title,
        "capacity": meeting.capacity or "",
        "access_services": list(meeting.access_services),
        "access_notes": meeting.access_notes or "",
    })
    return render(request, "staff/edit.html", meeting=meeting, form=form, access=ACCESS_OPTIONS)


@router.post("/staff/meetings/{meeting_id}/edit")
async def edit(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    posted = await request.form()
    fields = ("title", "capacity", "access_notes")
    values: dict[str, object] = {name: str(posted.get(name, "")).strip() for name in fields}
    values["access_services"] = posted.getlist("access_services")
    form = full_form(MeetingUpdate, values, MEETING_MESSAGES)
    if form.ok:
        try:
            await schedule.update_meeting(db, user, meeting_id, form.data, organizer=settings.mail_from)
        except ForumError as exc:
            refused(form, exc, ("capacity",), "title")
        else:
            return back_to_meeting(meeting_id, "Meeting details saved.", request)
    return render(request, "staff/edit.html", meeting=meeting, form=form, access=ACCESS_OPTIONS, status_code=422)


@router.get("/staff/meetings/{meeting_id}/reschedule")
async def reschedule_page(
    request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser
) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    form = Form({
        "starts_at": local_input(meeting.starts_at),
        "ends_at": local_input(meeting.ends_at),
        "venue": meeting.venue or "",
        "address": meeting.address or "",
        "area": meeting.area or "",
        "online_url": meeting.online_url or "",
    })
    return render(request, "staff/reschedule.html", meeting=meeting, form=form, areas=settings.areas)


@router.post("/staff/meetings/{meeting_id}/reschedule")
async def reschedule(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    posted = await request.form()
    values: dict[str, object] = {name: str(posted.get(name, "")).strip() for name in MeetingReschedule.model_fields}
    form = full_form(MeetingReschedule, values, MEETING_MESSAGES)
    if form.ok:
        try:
            moved = await schedule.reschedule_meeting(
                db, user, meeting_id, form.data, settings.areas, organizer=settings.mail_from
            )
        except ForumError as exc:
            refused(form, exc, PLACE_FIELDS, "starts_at")
        else:
            text = "Meeting moved. Everyone registered who gave an email address is told." + "".join(
                f" {w}" for w in moved.warnings
            )
            return back_to_meeting(meeting_id, text, request)
    return render(request, "staff/reschedule.html", meeting=meeting, form=form, areas=settings.areas, status_code=422)


@router.get("/staff/meetings/{meeting_id}/cancel")
async def cancel_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    return render(request, "staff/cancel.html", item=meeting, kind="meeting", form=Form())


@router.post("/staff/meetings/{meeting_id}/cancel")
async def cancel(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    form = await read_form(request, CancellationCreate)
    if form.ok:
        try:
            await schedule.cancel_meeting(db, user, meeting_id, form.data, organizer=settings.mail_from)
        except ForumError as exc:
            form.add_error("reason", exc.message)
        else:
            text = (
                "Meeting cancelled. Everyone registered who gave an email address is told, and escalated "
                "issues on its agenda move to the next meeting."
            )
            return back_to_meeting(meeting_id, text, request)
    return render(request, "staff/cancel.html", item=meeting, kind="meeting", form=form, status_code=422)


@router.get("/staff/areas")
async def areas_page(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser) -> Response:
    suggestion = await rotation.area_suggestion(db, settings.areas)
    report = await rotation.area_report(db, settings.areas)
    return render(request, "staff/areas.html", suggestion=suggestion, report=report)
