"""Staff pages for forum meetings: schedule, change, reschedule and cancel; registrations;
agenda; attendance, minutes and actions; and where the forum has met."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse

from forum_shared.errors import ForumError, NotFound
from forum_shared.ui import Form, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import AgendaKind, MeetingStatus
from meetings.pages.common import ACCESS_OPTIONS, full_form, local_input, refused
from meetings.schemas import (
    ActionCompletion,
    ActionCreate,
    AgendaItemCreate,
    AgendaItemUpdate,
    CancellationCreate,
    MeetingCreate,
    MeetingHeldCreate,
    MeetingReschedule,
    MeetingUpdate,
    MinutesUpdate,
    RegistrationCreate,
)
from meetings.service import agenda, audited, holding, registration, rotation, schedule

router = APIRouter(include_in_schema=False)

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
PLACE_FIELDS = ("starts_at", "ends_at", "venue", "address", "area", "online_url", "capacity")
MEETING_MESSAGES = {
    "title": "Enter a title",
    "starts_at": "Enter the start date and time",
    "ends_at": "Enter the end date and time",
    "online_url": "Enter the link to join online, starting with https://",
    "capacity": "Number of places must be a whole number from 1 to 10,000",
}


def _back(meeting_id: str, notice: str, request: Request, path: str = "") -> RedirectResponse:
    return notify(RedirectResponse(f"/staff/meetings/{meeting_id}{path}", status_code=303), request, notice)


async def _meeting(db, meeting_id: str) -> dict:
    async with db.read() as session:
        return await schedule.get_meeting(session, meeting_id)


# -- the list and one meeting ------------------------------------------------------------------
@router.get("/staff/meetings")
async def meetings_page(request: Request, db: DbDep, user: StaffUser, status: str | None = None):
    status = status if status in set(MeetingStatus) else None
    async with db.read() as session:
        meetings = await schedule.list_meetings(session, MeetingStatus(status) if status else None)
        waiting = await agenda.waiting_agenda_items(session)
    return render(
        request, "staff/meetings.html", meetings=meetings, waiting=waiting, status=status,
        statuses=[(s.value, s.value.capitalize()) for s in MeetingStatus],
    )


@router.get("/staff/meetings/new")
async def new_meeting_page(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser):
    async with db.read() as session:
        suggestion = (await rotation.area_suggestion(session, settings.areas))["suggested_area"]
    form = Form({"title": "Partnership Forum", "public": "yes", "area": suggestion or ""})
    return render(request, "staff/meeting_form.html", form=form, areas=settings.areas, access=ACCESS_OPTIONS,
                  suggestion=suggestion)


@router.post("/staff/meetings/new")
async def schedule_meeting(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser):
    posted = await request.form()
    values = {name: str(posted.get(name, "")).strip() for name in MeetingCreate.model_fields}
    values["access_services"] = posted.getlist("access_services")
    values["public"] = "true" if posted.get("public") == "yes" else "false"
    form = validate_form(MeetingCreate, values, MEETING_MESSAGES)
    form.values["public"] = posted.get("public", "")
    if not values["title"]:  # the API's default title is for programs; a person names the meeting
        form.errors = {"title": MEETING_MESSAGES["title"], **form.errors}
    if form.ok:
        try:
            meeting = await audited.schedule_meeting(db, user, form.data, settings.areas)
        except ForumError as exc:
            refused(form, exc, PLACE_FIELDS, "starts_at")
        else:
            text = "Meeting scheduled." + "".join(f" {w}" for w in meeting["warnings"])
            return _back(meeting["id"], text, request)
    return render(request, "staff/meeting_form.html", form=form, areas=settings.areas, access=ACCESS_OPTIONS,
                  suggestion=None, status_code=422)


@router.get("/staff/meetings/{meeting_id}")
async def meeting_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    started = meeting["starts_at"] <= datetime.now(UTC)
    return render(request, "staff/meeting.html", meeting=meeting, started=started)


# -- change, reschedule, cancel ----------------------------------------------------------------
@router.get("/staff/meetings/{meeting_id}/edit")
async def edit_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    form = Form({
        "title": meeting["title"],
        "capacity": meeting["capacity"] or "",
        "access_services": meeting["access_services"],
        "access_notes": meeting["access_notes"] or "",
    })
    return render(request, "staff/edit.html", meeting=meeting, form=form, access=ACCESS_OPTIONS)


@router.post("/staff/meetings/{meeting_id}/edit")
async def edit(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    posted = await request.form()
    values = {name: str(posted.get(name, "")).strip() for name in ("title", "capacity", "access_notes")}
    values["access_services"] = posted.getlist("access_services")
    form = full_form(MeetingUpdate, values, MEETING_MESSAGES)
    if form.ok:
        try:
            await audited.update_meeting(db, user, meeting_id, form.data)
        except ForumError as exc:
            refused(form, exc, ("capacity",), "title")
        else:
            return _back(meeting_id, "Meeting details saved.", request)
    return render(request, "staff/edit.html", meeting=meeting, form=form, access=ACCESS_OPTIONS, status_code=422)


@router.get("/staff/meetings/{meeting_id}/reschedule")
async def reschedule_page(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    form = Form({
        "starts_at": local_input(meeting["starts_at"]),
        "ends_at": local_input(meeting["ends_at"]),
        **{name: meeting[name] or "" for name in ("venue", "address", "area", "online_url")},
    })
    return render(request, "staff/reschedule.html", meeting=meeting, form=form, areas=settings.areas)


@router.post("/staff/meetings/{meeting_id}/reschedule")
async def reschedule(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    posted = await request.form()
    values = {name: str(posted.get(name, "")).strip() for name in MeetingReschedule.model_fields}
    form = full_form(MeetingReschedule, values, MEETING_MESSAGES)
    if form.ok:
        try:
            moved = await audited.reschedule_meeting(db, user, meeting_id, form.data, settings.areas)
        except ForumError as exc:
            refused(form, exc, PLACE_FIELDS, "starts_at")
        else:
            text = "Meeting moved. People's calendars will pick up the change." + "".join(
                f" {w}" for w in moved["warnings"]
            )
            return _back(meeting_id, text, request)
    return render(request, "staff/reschedule.html", meeting=meeting, form=form, areas=settings.areas, status_code=422)


@router.get("/staff/meetings/{meeting_id}/cancel")
async def cancel_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    return render(request, "staff/cancel.html", item=await _meeting(db, meeting_id), kind="meeting", form=Form())


@router.post("/staff/meetings/{meeting_id}/cancel")
async def cancel(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    form = await read_form(request, CancellationCreate)
    if form.ok:
        try:
            await audited.cancel_meeting(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("reason", exc.message)
        else:
            text = "Meeting cancelled. Escalated issues on its agenda move to the next meeting."
            return _back(meeting_id, text, request)
    return render(request, "staff/cancel.html", item=meeting, kind="meeting", form=form, status_code=422)


# -- registrations -----------------------------------------------------------------------------
async def _registrations_page(request, db, meeting_id, form, status_code=200):
    meeting = await _meeting(db, meeting_id)
    async with db.read() as session:
        listed = await registration.list_registrations(session, meeting_id)
    return render(
        request, "staff/registrations.html", meeting=meeting, listed=listed, form=form, access=ACCESS_OPTIONS,
        open=meeting["status"] == MeetingStatus.scheduled and meeting["starts_at"] > datetime.now(UTC),
        status_code=status_code,
    )


@router.get("/staff/meetings/{meeting_id}/registrations")
async def registrations_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    return await _registrations_page(request, db, meeting_id, Form())


@router.post("/staff/meetings/{meeting_id}/registrations")
async def add_registration(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    form = await read_form(request, RegistrationCreate, {"contact_email": EMAIL_MESSAGE})
    if "form" in form.errors:
        message = form.errors.pop("form").removeprefix("Form: ").removeprefix("Value error, ")
        form.add_error("member_id", message)
    if form.ok:
        try:
            place = await audited.register_someone(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("member_id", exc.message)
        else:
            text = "Registered: they have a place." if place["status"] == "registered" else (
                f"The meeting is full: they are number {place['waiting_position']} on the waiting list."
            )
            return _back(meeting_id, text, request, "/registrations")
    return await _registrations_page(request, db, meeting_id, form, 422)


@router.post("/staff/meetings/{meeting_id}/registrations/{registration_id}/cancel")
async def cancel_registration(request: Request, meeting_id: str, registration_id: str, db: DbDep, user: StaffUser):
    await audited.cancel_registration(db, user, meeting_id, registration_id)
    return _back(meeting_id, "Registration cancelled. The next person waiting, if any, now has the place.", request,
                 "/registrations")


# -- agenda ------------------------------------------------------------------------------------
async def _agenda_page(request, db, meeting_id, form, status_code=200):
    meeting = await _meeting(db, meeting_id)
    stored = [i for i in meeting["agenda"] if not str(i["id"]).startswith("action-")]
    return render(
        request, "staff/agenda.html", meeting=meeting, stored_ids=[i["id"] for i in stored], form=form,
        editable=meeting["status"] == MeetingStatus.scheduled, item_kind=AgendaKind.item, status_code=status_code,
    )


@router.get("/staff/meetings/{meeting_id}/agenda")
async def agenda_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    return await _agenda_page(request, db, meeting_id, Form())


@router.post("/staff/meetings/{meeting_id}/agenda")
async def add_agenda_item(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    form = await read_form(request, AgendaItemCreate, AGENDA_MESSAGES)
    if form.ok:
        try:
            item = await audited.add_agenda_item(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("title", exc.message)
        else:
            return _back(meeting_id, "Item added to the agenda.", request, "/agenda")
    return await _agenda_page(request, db, meeting_id, form, 422)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/move")
async def move_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser):
    form = await read_form(request, AgendaItemUpdate)
    if not form.ok or form.data.position is None:
        refused_move = Form().add_error("title", "Choose where to move the item")
        return await _agenda_page(request, db, meeting_id, refused_move, 422)
    await audited.change_agenda_item(db, user, meeting_id, item_id, AgendaItemUpdate(position=form.data.position))
    return _back(meeting_id, "Agenda order changed.", request, "/agenda")


AGENDA_MESSAGES = {
    "title": "Enter what the item is about",
    "duration_minutes": "Minutes must be a whole number from 1 to 480",
}


def _agenda_item(meeting: dict, item_id: str) -> dict:
    for item in meeting["agenda"]:
        if item["id"] == item_id and item["kind"] == AgendaKind.item:
            return item
    raise NotFound(f"This meeting's agenda has no item with id {item_id} that can be changed.")


@router.get("/staff/meetings/{meeting_id}/agenda/{item_id}/edit")
async def edit_agenda_item_page(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    item = _agenda_item(meeting, item_id)
    form = Form({name: item[name] or "" for name in ("title", "presenter", "duration_minutes")})
    return render(request, "staff/agenda_item.html", meeting=meeting, item=item, form=form)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/edit")
async def edit_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    item = _agenda_item(meeting, item_id)
    posted = await request.form()
    values = {name: str(posted.get(name, "")).strip() for name in ("title", "presenter", "duration_minutes")}
    form = full_form(AgendaItemUpdate, values, AGENDA_MESSAGES)
    if not values["title"]:
        form.errors = {"title": AGENDA_MESSAGES["title"], **form.errors}
    if form.ok:
        try:
            await audited.change_agenda_item(db, user, meeting_id, item_id, form.data)
        except ForumError as exc:
            form.add_error("title", exc.message)
        else:
            return _back(meeting_id, "Agenda item changed.", request, "/agenda")
    return render(request, "staff/agenda_item.html", meeting=meeting, item=item, form=form, status_code=422)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/remove")
async def remove_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser):
    await audited.remove_agenda_item(db, user, meeting_id, item_id)
    return _back(meeting_id, "Item removed from the agenda.", request, "/agenda")


# -- held: attendance, minutes, actions --------------------------------------------------------
async def _held_page(request, db, meeting_id, form, status_code=200):
    meeting = await _meeting(db, meeting_id)
    async with db.read() as session:
        listed = await registration.list_registrations(session, meeting_id)
    members = [r["member_id"] for r in listed["registrations"] if r["member_id"] and r["status"] == "registered"]
    return render(request, "staff/held.html", meeting=meeting, members=members, form=form, status_code=status_code)


@router.get("/staff/meetings/{meeting_id}/held")
async def held_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    return await _held_page(request, db, meeting_id, Form({"public_attendees": "0"}))


@router.post("/staff/meetings/{meeting_id}/held")
async def record_held(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    posted = await request.form()
    others = str(posted.get("other_member_ids", ""))
    values = {name: str(posted.get(name, "")).strip() for name in ("public_attendees", "hours", "minutes")}
    values["attendee_member_ids"] = [*posted.getlist("attendee_member_ids"), *others.replace(",", "\n").split()]
    form = validate_form(MeetingHeldCreate, values, {
        "public_attendees": "Members of the public must be a whole number, 0 or more",
        "hours": "Hours must be a number more than 0 and no more than 12",
    })
    form.values["other_member_ids"] = others
    if form.ok:
        try:
            await audited.record_meeting_held(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("public_attendees", exc.message)
        else:
            return _back(meeting_id, "Meeting recorded as held. Membership will record the attendance.", request)
    return await _held_page(request, db, meeting_id, form, 422)


@router.get("/staff/meetings/{meeting_id}/minutes")
async def minutes_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    return render(request, "staff/minutes.html", meeting=meeting, form=Form({"minutes": meeting["minutes"] or ""}))


@router.post("/staff/meetings/{meeting_id}/minutes")
async def save_minutes(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    form = await read_form(request, MinutesUpdate, {"minutes": "Enter the minutes"})
    if form.ok:
        try:
            await audited.update_minutes(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("minutes", exc.message)
        else:
            return _back(meeting_id, "Minutes saved.", request)
    return render(request, "staff/minutes.html", meeting=meeting, form=form, status_code=422)


ACTION_MESSAGES = {
    "description": {"*": "Describe the action in at least 3 characters"},
    "owner_name": "Enter who will do it",
    "due_on": "Due date must be a real date",
}


@router.get("/staff/meetings/{meeting_id}/actions/new")
async def new_action_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    return render(request, "staff/action_form.html", meeting=await _meeting(db, meeting_id), form=Form())


@router.post("/staff/meetings/{meeting_id}/actions/new")
async def agree_action(request: Request, meeting_id: str, db: DbDep, user: StaffUser):
    meeting = await _meeting(db, meeting_id)
    form = await read_form(request, ActionCreate, ACTION_MESSAGES)
    if form.ok:
        try:
            action = await audited.agree_action(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("description", exc.message)
        else:
            return _back(meeting_id, "Action recorded.", request)
    return render(request, "staff/action_form.html", meeting=meeting, form=form, status_code=422)


@router.get("/staff/actions")
async def actions_page(request: Request, db: DbDep, user: StaffUser, status: str | None = "open"):
    status = status if status in ("open", "completed") else None
    async with db.read() as session:
        listed = await holding.list_actions(session, status)
    return render(request, "staff/actions.html", actions=listed, status=status,
                  today=datetime.now(UTC).date())


@router.post("/staff/actions/{action_id}/complete")
async def complete_action(request: Request, action_id: str, db: DbDep, user: StaffUser):
    form = await read_form(request, ActionCompletion)
    if not form.ok:
        return notify(RedirectResponse("/staff/actions", 303), request, "Give a real date.", title="There is a problem",
                      kind="info")
    try:
        await audited.complete_action(db, user, action_id, form.data)
    except ForumError as exc:
        if exc.status_code == 404:
            raise
        return notify(RedirectResponse("/staff/actions", 303), request, exc.message, title="There is a problem",
                      kind="info")
    return notify(RedirectResponse("/staff/actions", 303), request, "Action marked as done.")


# -- areas -------------------------------------------------------------------------------------
@router.get("/staff/areas")
async def areas_page(request: Request, db: DbDep, settings: SettingsDep, user: StaffUser):
    async with db.read() as session:
        suggestion = await rotation.area_suggestion(session, settings.areas)
        report = await rotation.area_report(session, settings.areas)
    return render(request, "staff/areas.html", suggestion=suggestion, report=report)
