"""Agenda items of a meeting, and items waiting for the next meeting."""

from fastapi import APIRouter, Response

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from meetings.schemas.agenda import AgendaItemCreate, AgendaItemPublic, AgendaItemUpdate
from meetings.service import agenda

router = APIRouter(tags=["agenda"])


@router.post("/meetings/{meeting_id}/agenda", response_model=AgendaItemPublic, status_code=201)
async def add_agenda_item(meeting_id: str, data: AgendaItemCreate, db: DbDep, user: StaffUser) -> AgendaItemPublic:
    """Add an item, with presenter and duration, to the end of a meeting's agenda."""
    return AgendaItemPublic.model_validate(await agenda.add_item(db, user, meeting_id, data))


@router.patch("/meetings/{meeting_id}/agenda/{item_id}", response_model=AgendaItemPublic)
async def update_agenda_item(
    meeting_id: str, item_id: str, data: AgendaItemUpdate, db: DbDep, user: StaffUser
) -> AgendaItemPublic:
    """Change an agenda item or move it to another place on the agenda."""
    return AgendaItemPublic.model_validate(await agenda.change_item(db, user, meeting_id, item_id, data))


@router.delete("/meetings/{meeting_id}/agenda/{item_id}", status_code=204)
async def remove_agenda_item(meeting_id: str, item_id: str, db: DbDep, user: StaffUser) -> Response:
    """Take an item off the agenda (escalated issues stay)."""
    await agenda.remove_item(db, user, meeting_id, item_id)
    return Response(status_code=204)


@router.get("/agenda/waiting", response_model=list[AgendaItemPublic])
async def waiting_agenda_items(db: DbDep, user: StaffUser) -> list[AgendaItemPublic]:
    """Items (such as escalations) waiting for the next forum meeting to be scheduled."""
    return [AgendaItemPublic.model_validate(i) for i in await agenda.waiting_items(db)]
