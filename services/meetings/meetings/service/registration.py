"""Registration for a forum meeting: places up to its capacity, then a waiting list that is
offered places strictly in the order people joined it."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import WaitingListPlaceOffered
from meetings import domain
from meetings.domain import MeetingStatus, RegistrationStatus
from meetings.schemas import RegistrationCreate
from meetings.service.common import now_or
from meetings.store import meetings, registrations


async def _open_for_registration(session: AsyncSession, meeting_id: str, now: datetime):
    # The row lock (PostgreSQL) makes registrations for one meeting take turns, so two people
    # cannot both take the last place.
    meeting = (
        await session.execute(select(meetings).where(meetings.c.id == meeting_id).with_for_update())
    ).first()
    if meeting is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    if meeting.status != MeetingStatus.scheduled:
        raise Conflict(f"This meeting is {meeting.status}, so registrations cannot change.")
    if meeting.starts_at <= now:
        raise Conflict("This meeting has already started, so registrations cannot change.")
    return meeting


async def count(session: AsyncSession, meeting_id: str, status: RegistrationStatus) -> int:
    return await session.scalar(
        select(func.count()).where(registrations.c.meeting_id == meeting_id, registrations.c.status == status)
    )


async def register(
    session: AsyncSession, meeting_id: str, data: RegistrationCreate, now: datetime | None = None
) -> dict:
    """Register for a meeting: a place if one is free, otherwise a place on the waiting list."""
    now = now_or(now)
    meeting = await _open_for_registration(session, meeting_id, now)
    if data.member_id:
        already = await session.scalar(
            select(registrations.c.id).where(
                registrations.c.meeting_id == meeting_id,
                registrations.c.member_id == data.member_id,
                registrations.c.status != RegistrationStatus.cancelled,
            )
        )
        if already:
            raise Conflict(f"This member is already registered for this meeting (registration {already}).")
    status = domain.place_for(meeting.capacity, await count(session, meeting_id, RegistrationStatus.registered))
    highest = await session.scalar(
        select(func.max(registrations.c.queue_number)).where(registrations.c.meeting_id == meeting_id)
    )
    registration_id = str(uuid.uuid4())
    await session.execute(
        registrations.insert().values(
            **data.model_dump(),
            id=registration_id,
            meeting_id=meeting_id,
            queue_number=(highest or 0) + 1,
            status=status,
            registered_at=now,
        )
    )
    return await get_registration(session, meeting_id, registration_id)


async def cancel_registration(
    session: AsyncSession, meeting_id: str, registration_id: str, now: datetime | None = None
) -> dict:
    """Give up a place (or leave the waiting list); a freed place goes to the next in line."""
    now = now_or(now)
    await _open_for_registration(session, meeting_id, now)
    current = await get_registration(session, meeting_id, registration_id)
    if current["status"] == RegistrationStatus.cancelled:
        raise Conflict("This registration was already cancelled.")
    await session.execute(
        update(registrations)
        .where(registrations.c.id == registration_id)
        .values(status=RegistrationStatus.cancelled, cancelled_at=now)
    )
    await offer_free_places(session, meeting_id, now)
    return await get_registration(session, meeting_id, registration_id)


async def offer_free_places(session: AsyncSession, meeting_id: str, now: datetime | None = None) -> list[str]:
    """Give free places to the front of the waiting list, in order (each told by
    `WaitingListPlaceOffered`); returns who got one."""
    meeting = (
        await session.execute(select(meetings.c.capacity, meetings.c.starts_at).where(meetings.c.id == meeting_id))
    ).one()
    waiting = (
        await session.execute(
            select(registrations.c.id, registrations.c.member_id)
            .where(registrations.c.meeting_id == meeting_id, registrations.c.status == RegistrationStatus.waiting)
            .order_by(registrations.c.queue_number)
        )
    ).all()
    taken = await count(session, meeting_id, RegistrationStatus.registered)
    promoted = waiting[: domain.places_to_offer(meeting.capacity, taken, len(waiting))]
    if promoted:
        await session.execute(
            update(registrations)
            .where(registrations.c.id.in_([p.id for p in promoted]))
            .values(status=RegistrationStatus.registered, promoted_at=now_or(now))
        )
    for place in promoted:
        await outbox.record(
            session,
            WaitingListPlaceOffered(
                meeting_id=meeting_id, registration_id=place.id, member_id=place.member_id,
                starts_at=domain.to_london(meeting.starts_at),
            ),
        )
    return [p.id for p in promoted]


async def get_registration(session: AsyncSession, meeting_id: str, registration_id: str) -> dict:
    for row in await _rows(session, meeting_id):
        if row["id"] == registration_id:
            return row
    raise NotFound(f"This meeting has no registration with id {registration_id}.")


async def list_registrations(session: AsyncSession, meeting_id: str) -> dict:
    """Everyone registered or waiting, with how many asked for each kind of access support."""
    capacity = (
        await session.execute(select(meetings.c.capacity).where(meetings.c.id == meeting_id))
    ).first()
    if capacity is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    rows = await _rows(session, meeting_id)
    registered = [r for r in rows if r["status"] == RegistrationStatus.registered]
    needs: dict[str, int] = {}
    for row in registered:
        for need in row["access_needs"]:
            needs[need] = needs.get(need, 0) + 1
    return {
        "meeting_id": meeting_id,
        "capacity": capacity[0],
        "registered": len(registered),
        "waiting": sum(r["status"] == RegistrationStatus.waiting for r in rows),
        "places_left": None if capacity[0] is None else max(capacity[0] - len(registered), 0),
        "access_needs": needs,
        "registrations": rows,
    }


async def _rows(session: AsyncSession, meeting_id: str) -> list[dict]:
    order = {RegistrationStatus.registered: 0, RegistrationStatus.waiting: 1, RegistrationStatus.cancelled: 2}
    rows = (
        await session.execute(
            select(registrations).where(registrations.c.meeting_id == meeting_id).order_by(registrations.c.queue_number)
        )
    ).all()
    out, position = [], 0
    for row in sorted(rows, key=lambda r: (order[r.status], r.queue_number)):
        waiting = row.status == RegistrationStatus.waiting
        position += waiting
        out.append({**row._mapping, "waiting_position": position if waiting else None})
    return out
