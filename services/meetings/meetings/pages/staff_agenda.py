"""Staff pages for a meeting's agenda: add, change, reorder and remove items (escalated issues and
overdue actions arrive by themselves and stay)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from forum_shared.errors import ForumError, NotFound
from forum_shared.identity.principal import Principal
from forum_shared.ui import Form, StaffUser, read_form, render
from forum_shared.web import DbDep
from meetings.domain import AgendaKind, MeetingStatus
from meetings.pages.common import full_form
from meetings.pages.staff_meetings import back_to_meeting
from meetings.records import AgendaItem, Meeting
from meetings.schemas.agenda import AgendaItemCreate, AgendaItemUpdate
from meetings.service import agenda, meetings

router = APIRouter(include_in_schema=False)

AGENDA_MESSAGES = {
    "title": "Enter what the item is about",
    "duration_minutes": "Minutes must be a whole number from 1 to 480",
}


async def _agenda_page(
    request: Request, db: DbDep, user: Principal, meeting_id: str, form: Form, status_code: int = 200
) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    return render(
        request, "staff/agenda.html", meeting=meeting, stored_ids=[i.id for i in meeting.agenda if i.stored],
        form=form, editable=meeting.status == MeetingStatus.scheduled, item_kind=AgendaKind.item,
        status_code=status_code,
    )


@router.get("/staff/meetings/{meeting_id}/agenda")
async def agenda_page(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    return await _agenda_page(request, db, user, meeting_id, Form())


@router.post("/staff/meetings/{meeting_id}/agenda")
async def add_agenda_item(request: Request, meeting_id: str, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, AgendaItemCreate, AGENDA_MESSAGES)
    if form.ok:
        try:
            await agenda.add_item(db, user, meeting_id, form.data)
        except ForumError as exc:
            form.add_error("title", exc.message)
        else:
            return back_to_meeting(meeting_id, "Item added to the agenda.", request, "/agenda")
    return await _agenda_page(request, db, user, meeting_id, form, 422)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/move")
async def move_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, AgendaItemUpdate)
    if not form.ok or form.data.position is None:
        refused_move = Form().add_error("title", "Choose where to move the item")
        return await _agenda_page(request, db, user, meeting_id, refused_move, 422)
    await agenda.change_item(db, user, meeting_id, item_id, AgendaItemUpdate(position=form.data.position))
    return back_to_meeting(meeting_id, "Agenda order changed.", request, "/agenda")


def _changeable_item(meeting: Meeting, item_id: str) -> AgendaItem:
    for item in meeting.agenda:
        if item.id == item_id and item.kind == AgendaKind.item:
            return item
    raise NotFound(f"This meeting's agenda has no item with id {item_id} that can be changed.")


@router.get("/staff/meetings/{meeting_id}/agenda/{item_id}/edit")
async def edit_agenda_item_page(
    request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser
) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    item = _changeable_item(meeting, item_id)
    form = Form(
        {"title": item.title, "presenter": item.presenter or "", "duration_minutes": item.duration_minutes or ""}
    )
    return render(request, "staff/agenda_item.html", meeting=meeting, item=item, form=form)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/edit")
async def edit_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser) -> Response:
    meeting = await meetings.get_meeting(db, meeting_id, user)
    item = _changeable_item(meeting, item_id)
    posted = await request.form()
    values: dict[str, object] = {
        name: str(posted.get(name, "")).strip() for name in ("title", "presenter", "duration_minutes")
    }
    form = full_form(AgendaItemUpdate, values, AGENDA_MESSAGES)
    if not values["title"]:
        form.errors = {"title": AGENDA_MESSAGES["title"], **form.errors}
    if form.ok:
        try:
            await agenda.change_item(db, user, meeting_id, item_id, form.data)
        except ForumError as exc:
            form.add_error("title", exc.message)
        else:
            return back_to_meeting(meeting_id, "Agenda item changed.", request, "/agenda")
    return render(request, "staff/agenda_item.html", meeting=meeting, item=item, form=form, status_code=422)


@router.post("/staff/meetings/{meeting_id}/agenda/{item_id}/remove")
async def remove_agenda_item(request: Request, meeting_id: str, item_id: str, db: DbDep, user: StaffUser) -> Response:
    await agenda.remove_item(db, user, meeting_id, item_id)
    return back_to_meeting(meeting_id, "Item removed from the agenda.", request, "/agenda")
