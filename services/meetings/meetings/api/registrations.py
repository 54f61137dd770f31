"""Registration for meetings, with a waiting list."""

from fastapi import APIRouter

from forum_shared.web import DbDep
from meetings.schemas import RegistrationCreate, RegistrationPublic, RegistrationsPublic
from meetings.service import registration

router = APIRouter(tags=["registration"])


@router.post("/meetings/{meeting_id}/registrations", response_model=RegistrationPublic, status_code=201)
async def register(meeting_id: str, data: RegistrationCreate, db: DbDep) -> dict:
    """Register for a meeting: a place if one is free, otherwise the waiting list."""
    async with db.transaction() as session:
        return await registration.register(session, meeting_id, data)


@router.get("/meetings/{meeting_id}/registrations", response_model=RegistrationsPublic)
async def list_registrations(meeting_id: str, db: DbDep) -> dict:
    """Who has a place, who is waiting (in order), and what access support they asked for."""
    async with db.read() as session:
        return await registration.list_registrations(session, meeting_id)


@router.post("/meetings/{meeting_id}/registrations/{registration_id}/cancel", response_model=RegistrationPublic)
async def cancel_registration(meeting_id: str, registration_id: str, db: DbDep) -> dict:
    """Give up a place; the next person waiting gets it."""
    async with db.transaction() as session:
        return await registration.cancel_registration(session, meeting_id, registration_id)
