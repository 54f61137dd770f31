"""Registration for meetings, with a waiting list."""

from fastapi import APIRouter, Depends

from forum_shared.errors import NotFound
from forum_shared.ui import MaybeSignedIn, StaffUser, rate_limit
from forum_shared.web import DbDep
from meetings.schemas import RegistrationCreate, RegistrationPublic, RegistrationsPublic
from meetings.api.meetings import is_staff
from meetings.service import audited, registration, schedule

router = APIRouter(tags=["registration"])


@router.post(
    "/meetings/{meeting_id}/registrations",
    response_model=RegistrationPublic,
    status_code=201,
    # Who is calling is worked out first, so partner programs with a token are not limited.
    dependencies=[Depends(rate_limit("public_form"))],
)
async def register(meeting_id: str, data: RegistrationCreate, db: DbDep, user: MaybeSignedIn) -> dict:
    """Register for a meeting: a place if one is free, otherwise the waiting list. Only staff
    register people for a meeting that is not open to the public."""
    async with db.transaction() as session:
        if not is_staff(user) and not (await schedule.get_meeting(session, meeting_id))["public"]:
            raise NotFound(f"There is no public meeting {meeting_id}.")
        return await registration.register(session, meeting_id, data)


@router.get("/meetings/{meeting_id}/registrations", response_model=RegistrationsPublic)
async def list_registrations(meeting_id: str, db: DbDep, user: StaffUser) -> dict:
    """Who has a place, who is waiting (in order), and what access support they asked for."""
    async with db.read() as session:
        return await registration.list_registrations(session, meeting_id)


@router.post("/meetings/{meeting_id}/registrations/{registration_id}/cancel", response_model=RegistrationPublic)
async def cancel_registration(meeting_id: str, registration_id: str, db: DbDep, user: StaffUser) -> dict:
    """Give up a place; the next person waiting gets it."""
    return await audited.cancel_registration(db, user, meeting_id, registration_id)
