"""JSON routes of the meetings service."""

from fastapi import APIRouter

from forum_shared.web import DbDep
from meetings import service
from meetings.schemas import AgendaItemPublic, MeetingCreate, MeetingPublic

router = APIRouter(tags=["meetings"])


@router.post("/meetings", response_model=MeetingPublic, status_code=201)
async def schedule_meeting(data: MeetingCreate, db: DbDep) -> dict:
    """Schedule a forum meeting."""
    async with db.transaction() as session:
        return await service.schedule_meeting(session, data)


@router.get("/meetings", response_model=list[MeetingPublic])
async def list_meetings(db: DbDep) -> list[dict]:
    """Forum meetings in date order."""
    async with db.read() as session:
        return await service.list_meetings(session)


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
async def get_meeting(meeting_id: str, db: DbDep) -> dict:
    """One meeting with its agenda."""
    async with db.read() as session:
        return await service.get_meeting(session, meeting_id)


@router.get("/agenda/waiting", response_model=list[AgendaItemPublic])
async def waiting_agenda_items(db: DbDep) -> list[dict]:
    """Items (such as escalations) waiting for the next forum meeting to be scheduled."""
    async with db.read() as session:
        return await service.waiting_agenda_items(session)
