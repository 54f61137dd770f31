"""Agenda items of a meeting, and items waiting for the next meeting."""

from fastapi import APIRouter, Response

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from meetings.schemas import AgendaItemCreate, AgendaItemPublic, AgendaItemUpdate
from meetings.service import agenda, audited

router = APIRouter(tags=["agenda"])


@router.post("/meetings/{meeting_id}/agenda", response_model=AgendaItemPublic, status_code=201)
async def add_agenda_item(meeting_id: str, data: AgendaItemCreate, db: DbDep, user: StaffUser) -> dict:
    """Add an item, with presenter and duration, to the end of a meeting's agenda."""
    return await audited.add_agenda_item(db, user, meeting_id, data)


@router.patch("/meetings/{meeting_id}/agenda/{item_id}", response_model=AgendaItemPublic)
async def update_agenda_item(
    meeting_id: str, item_id: str, data: AgendaItemUpdate, db: DbDep, user: StaffUser
) -> dict:
    """Change an agenda item or move it to another place on the agenda."""
    return await audited.change_agenda_item(db, user, meeting_id, item_id, data)


@router.delete("/meetings/{meeting_id}/agenda/{item_id}", status_code=204)
async def remove_agenda_item(meeting_id: str, item_id: str, db: DbDep, user: StaffUser) -> Response:
    """Take an item off the agenda (escalated issues stay)."""
    await audited.remove_agenda_item(db, user, meeting_id, item_id)
    return Response(status_code=204)


@router.get("/agenda/waiting", response_model=list[AgendaItemPublic])
async def waiting_agenda_items(db: DbDep, user: StaffUser) -> list[dict]:
    """Items (such as escalations) waiting for the next forum meeting to be scheduled."""
    async with db.read() as session:
        return await agenda.waiting_agenda_items(session)
