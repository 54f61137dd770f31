"""Registration for a forum meeting: places up to its capacity, then a waiting list that is
offered places strictly in the order people joined it. People who gave an email address hear back
each time (`meetings.service.emails`), and manage their registration through the link in it: the
use cases for that act as `REGISTRANT`, whoever holds the link."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.events.meetings import WaitingListPlaceOffered
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import Work, unit_of_work
from meetings import domain
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.records import Meeting, Registration, Registrations
from meetings.schemas.registrations import RegistrationCreate, RegistrationNeeds
from meetings.service import emails
from meetings.service.viewers import is_staff
from meetings.store import meeting as stored_meetings
from meetings.store import registration as stored

# Who changes a registration through the link emailed to the person who made it.
REGISTRANT = "registrant"


async def _open_for_registration(
    session: AsyncSession, meeting_id: str, now: datetime, actor: Principal | str
) -> Meeting:
    """The meeting, if `actor` may change its registrations now. Only staff register people for a
    meeting not open to the public (the person holding a registration's link manages it there too)."""
    # The row lock (PostgreSQL) makes registrations for one meeting take turns, so two people
    # cannot both take the last place.
    meeting = await stored_meetings.get_meeting(session, meeting_id, lock=True)
    if not meeting.public and not is_staff(actor) and actor != REGISTRANT:
        raise NotFound(f"There is no public meeting {meeting_id}.")
    if meeting.status != MeetingStatus.scheduled:
        raise Conflict(f"This meeting is {meeting.status}, so registrations cannot change.")
    if meeting.starts_at <= now:
        raise Conflict("This meeting has already started, so registrations cannot change.")
    return meeting


async def register(
    db: Database,
    actor: Principal | str,
    meeting_id: str,
    data: RegistrationCreate,
    now: datetime | None = None,
    *,
    organizer: str | None = None,
) -> Registration:
    """Register for a meeting: a place if one is free, otherwise a place on the waiting list; an
    email says which, with the meeting for their calendar (`organizer`: the service's From address).
    Registrations made by someone signed in (staff, or a program with a token) are audited; a member
    of the public registering themselves is not."""
    now = now or datetime.now(UTC)
    registration_id = str(uuid.uuid4())
    action = "registration.added" if isinstance(actor, Principal) else None
    details = {"registration_id": registration_id}
    async with unit_of_work(db, actor, action, f"meeting:{meeting_id}", details) as work:
        meeting = await _open_for_registration(work.session, meeting_id, now, actor)
        if data.member_id:
            already = await stored.member_registration_id(work.session, meeting_id, data.member_id)
            if already:
                raise Conflict(f"This member is already registered for this meeting (registration {already}).")
        taken = await stored.count(work.session, meeting_id, RegistrationStatus.registered)
        await stored.add_registration(
            work.session,
            registration_id,
            meeting_id,
            **data.model_dump(),
            status=domain.place_for(meeting.capacity, taken),
            registered_at=now,
        )
        registration = await _registration(work.session, meeting_id, registration_id)
        await emails.registration_confirmed(work, meeting, registration, organizer)
        return registration


async def cancel_registration(
    db: Database,
    actor: Principal | str,
    meeting_id: str,
    registration_id: str,
    now: datetime | None = None,
    *,
    organizer: str | None = None,
) -> Registration:
    """Give up a place (or leave the waiting list); a freed place goes to the next in line. The
    person is told by email, and the meeting leaves their calendar."""
    now = now or datetime.now(UTC)
    details = {"registration_id": registration_id}
    async with unit_of_work(db, actor, "registration.cancelled", f"meeting:{meeting_id}", details) as work:
        meeting = await _open_for_registration(work.session, meeting_id, now, actor)
        current = await _registration(work.session, meeting_id, registration_id)
        if current.status == RegistrationStatus.cancelled:
            raise Conflict("This registration was already cancelled.")
        await stored.change_registration(
            work.session, registration_id, status=RegistrationStatus.cancelled, cancelled_at=now
        )
        cancelled = await _registration(work.session, meeting_id, registration_id)
        await emails.registration_cancelled(work, meeting, cancelled, organizer)
        await offer_free_places(work, meeting_id, now, organizer=organizer)
        return cancelled


async def offer_free_places(work: Work, meeting_id: str, now: datetime, *, organizer: str | None = None) -> list[str]:
    """Give free places to the front of the waiting list, in order (each told by
    `WaitingListPlaceOffered`, with ids only, and by email if they gave an address); returns who
    got one."""
    meeting = await stored_meetings.get_meeting(work.session, meeting_id)
    waiting = await stored.waiting_ids(work.session, meeting_id)
    promoted = waiting[: domain.places_to_offer(meeting.capacity, meeting.registered, len(waiting))]
    await stored.give_places(work.session, [registration_id for registration_id, _ in promoted], now)
    if not promoted:
        return []
    now_placed = {r.id: r for r in await stored.registrations_of(work.session, meeting_id)}
    for registration_id, member_id in promoted:
        await work.publish(
            WaitingListPlaceOffered(
                meeting_id=meeting_id, registration_id=registration_id, member_id=member_id,
                starts_at=meeting.starts_at,
            )
        )
        await emails.place_offered(work, meeting, now_placed[registration_id], organizer)
    return [registration_id for registration_id, _ in promoted]


async def _registration(session: AsyncSession, meeting_id: str, registration_id: str) -> Registration:
    for registration in await stored.registrations_of(session, meeting_id):
        if registration.id == registration_id:
            return registration
    raise NotFound(f"This meeting has no registration with id {registration_id}.")


async def registration_to_manage(db: Database, registration_id: str) -> tuple[Meeting, Registration]:
    """A registration and its meeting, for the person holding its link (NotFound if there is none)."""
    async with db.read() as session:
        meeting_id = await stored.meeting_id_of(session, registration_id)
        if meeting_id is None:
            raise NotFound("There is no such registration.")
        return await stored_meetings.get_meeting(session, meeting_id), await _registration(
            session, meeting_id, registration_id
        )


async def change_needs(
    db: Database, registration_id: str, data: RegistrationNeeds, now: datetime | None = None
) -> Registration:
    """The person who registered changes what would help them take part, until the meeting starts.
    Like registering, it is not audited: the registrant is not signed in."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, REGISTRANT) as work:
        meeting_id = await stored.meeting_id_of(work.session, registration_id)
        if meeting_id is None:
            raise NotFound("There is no such registration.")
        await _open_for_registration(work.session, meeting_id, now, REGISTRANT)
        current = await _registration(work.session, meeting_id, registration_id)
        if current.status == RegistrationStatus.cancelled:
            raise Conflict("This registration was cancelled, so it cannot change.")
        await stored.change_registration(work.session, registration_id, **data.model_dump())
        return await _registration(work.session, meeting_id, registration_id)


async def cancel_own_registration(
    db: Database, registration_id: str, now: datetime | None = None, *, organizer: str | None = None
) -> Registration:
    """The person who registered gives up their place (or leaves the waiting list)."""
    async with db.read() as session:
        meeting_id = await stored.meeting_id_of(session, registration_id)
    if meeting_id is None:
        raise NotFound("There is no such registration.")
    return await cancel_registration(db, REGISTRANT, meeting_id, registration_id, now, organizer=organizer)


async def member_registration(db: Database, meeting_id: str, member_id: str) -> str | None:
    """The id of the member's registration for the meeting that is not cancelled, if any."""
    async with db.read() as session:
        return await stored.member_registration_id(session, meeting_id, member_id)


async def get_registration(db: Database, meeting_id: str, registration_id: str) -> Registration:
    async with db.read() as session:
        return await _registration(session, meeting_id, registration_id)


async def list_registrations(db: Database, meeting_id: str) -> Registrations:
    """Everyone registered or waiting, with how many asked for each kind of access support."""
    async with db.read() as session:
        meeting = await stored_meetings.get_meeting(session, meeting_id)
        return Registrations(meeting_id, meeting.capacity, await stored.registrations_of(session, meeting_id))
