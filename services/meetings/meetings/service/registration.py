"""Registration for a forum meeting: places up to its capacity, then a waiting list that is
offered places strictly in the order people joined it."""

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
from meetings.schemas.registrations import RegistrationCreate
from meetings.service.viewers import is_staff
from meetings.store import meeting as stored_meetings
from meetings.store import registration as stored


async def _open_for_registration(
    session: AsyncSession, meeting_id: str, now: datetime, actor: Principal | str
) -> Meeting:
    """The meeting, if `actor` may change its registrations now. Only staff register people for a
    meeting not open to the public."""
    # The row lock (PostgreSQL) makes registrations for one meeting take turns, so two people
    # cannot both take the last place.
    meeting = await stored_meetings.get_meeting(session, meeting_id, lock=True)
    if not meeting.public and not is_staff(actor):
        raise NotFound(f"There is no public meeting {meeting_id}.")
    if meeting.status != MeetingStatus.scheduled:
        raise Conflict(f"This meeting is {meeting.status}, so registrations cannot change.")
    if meeting.starts_at <= now:
        raise Conflict("This meeting has already started, so registrations cannot change.")
    return meeting


async def register(
    db: Database, actor: Principal | str, meeting_id: str, data: RegistrationCreate, now: datetime | None = None
) -> Registration:
    """Register for a meeting: a place if one is free, otherwise a place on the waiting list.
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
        return await _registration(work.session, meeting_id, registration_id)


async def cancel_registration(
    db: Database, actor: Principal | str, meeting_id: str, registration_id: str, now: datetime | None = None
) -> Registration:
    """Give up a place (or leave the waiting list); a freed place goes to the next in line."""
    now = now or datetime.now(UTC)
    details = {"registration_id": registration_id}
    async with unit_of_work(db, actor, "registration.cancelled", f"meeting:{meeting_id}", details) as work:
        await _open_for_registration(work.session, meeting_id, now, actor)
        current = await _registration(work.session, meeting_id, registration_id)
        if current.status == RegistrationStatus.cancelled:
            raise Conflict("This registration was already cancelled.")
        await stored.change_registration(
            work.session, registration_id, status=RegistrationStatus.cancelled, cancelled_at=now
        )
        await offer_free_places(work, meeting_id, now)
        return await _registration(work.session, meeting_id, registration_id)


async def offer_free_places(work: Work, meeting_id: str, now: datetime) -> list[str]:
    """Give free places to the front of the waiting list, in order (each told by
    `WaitingListPlaceOffered`, with ids only); returns who got one."""
    meeting = await stored_meetings.get_meeting(work.session, meeting_id)
    waiting = await stored.waiting_ids(work.session, meeting_id)
    promoted = waiting[: domain.places_to_offer(meeting.capacity, meeting.registered, len(waiting))]
    await stored.give_places(work.session, [registration_id for registration_id, _ in promoted], now)
    for registration_id, member_id in promoted:
        await work.publish(
            WaitingListPlaceOffered(
                meeting_id=meeting_id, registration_id=registration_id, member_id=member_id,
                starts_at=meeting.starts_at,
            )
        )
    return [registration_id for registration_id, _ in promoted]


async def _registration(session: AsyncSession, meeting_id: str, registration_id: str) -> Registration:
    for registration in await stored.registrations_of(session, meeting_id):
        if registration.id == registration_id:
            return registration
    raise NotFound(f"This meeting has no registration with id {registration_id}.")


async def get_registration(db: Database, meeting_id: str, registration_id: str) -> Registration:
    async with db.read() as session:
        return await _registration(session, meeting_id, registration_id)


async def list_registrations(db: Database, meeting_id: str) -> Registrations:
    """Everyone registered or waiting, with how many asked for each kind of access support."""
    async with db.read() as session:
        meeting = await stored_meetings.get_meeting(session, meeting_id)
        return Registrations(meeting_id, meeting.capacity, await stored.registrations_of(session, meeting_id))
