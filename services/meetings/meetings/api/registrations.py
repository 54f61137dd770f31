"""Registration for meetings, with a waiting list."""

from fastapi import APIRouter, Depends

from forum_shared.ui import MaybeSignedIn, StaffUser, rate_limit
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.schemas.registrations import RegistrationCreate, RegistrationPublic, RegistrationsPublic
from meetings.service import registration

router = APIRouter(tags=["registration"])


@router.post(
    "/meetings/{meeting_id}/registrations",
    response_model=RegistrationPublic,
    status_code=201,
    # Who is calling is worked out first, so partner programs with a token are not limited.
    dependencies=[Depends(rate_limit("public_form"))],
)
async def register(
    meeting_id: str, data: RegistrationCreate, db: DbDep, settings: SettingsDep, user: MaybeSignedIn
) -> RegistrationPublic:
    """Register for a meeting: a place if one is free, otherwise the waiting list. Only staff
    register people for a meeting that is not open to the public. Given a `contact_email`, the
    person is sent a confirmation with the meeting for their calendar and a link to manage it."""
    place = await registration.register(
        db, user or "anonymous", meeting_id, data, organizer=settings.mail_from
    )
    return RegistrationPublic.model_validate(place)


@router.get("/meetings/{meeting_id}/registrations", response_model=RegistrationsPublic)
async def list_registrations(meeting_id: str, db: DbDep, user: StaffUser) -> RegistrationsPublic:
    """Who has a place, who is waiting (in order), and what access support they asked for."""
    return RegistrationsPublic.model_validate(await registration.list_registrations(db, meeting_id))


@router.post("/meetings/{meeting_id}/registrations/{registration_id}/cancel", response_model=RegistrationPublic)
async def cancel_registration(
    meeting_id: str, registration_id: str, db: DbDep, settings: SettingsDep, user: StaffUser
) -> RegistrationPublic:
    """Give up a place; the next person waiting gets it (both told by email if they gave one)."""
    return RegistrationPublic.model_validate(
        await registration.cancel_registration(db, user, meeting_id, registration_id, organizer=settings.mail_from)
    )
