"""Registrations for meetings: places and the waiting list, in the order people joined, and the
details people gave, cleared once kept long enough."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Row, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.domain import RegistrationStatus
from meetings.records import Registration
from meetings.store.tables import meetings, registrations

# What people gave about themselves; cleared some days after the meeting (or on erasure).
DETAILS = ("name", "contact_email", "contact_phone", "access_notes")
_ORDER = {RegistrationStatus.registered: 0, RegistrationStatus.waiting: 1, RegistrationStatus.cancelled: 2}


async def count(session: AsyncSession, meeting_id: str, status: RegistrationStatus) -> int:
    counted = await session.scalar(
        select(func.count()).where(registrations.c.meeting_id == meeting_id, registrations.c.status == status)
    )
    return int(counted or 0)


async def member_registration_id(session: AsyncSession, meeting_id: str, member_id: str) -> str | None:
    """The member's registration for the meeting that is not cancelled, if any."""
    return await session.scalar(
        select(registrations.c.id).where(
            registrations.c.meeting_id == meeting_id,
            registrations.c.member_id == member_id,
            registrations.c.status != RegistrationStatus.cancelled,
        )
    )


async def add_registration(session: AsyncSession, registration_id: str, meeting_id: str, **values: Any) -> None:
    """A registration at the back of the meeting's queue."""
    highest = await session.scalar(
        select(func.max(registrations.c.queue_number)).where(registrations.c.meeting_id == meeting_id)
    )
    await session.execute(
        registrations.insert().values(
            id=registration_id, meeting_id=meeting_id, queue_number=(highest or 0) + 1, **values
        )
    )


async def change_registration(session: AsyncSession, registration_id: str, **values: Any) -> None:
    await session.execute(update(registrations).where(registrations.c.id == registration_id).values(**values))


async def waiting_ids(session: AsyncSession, meeting_id: str) -> list[tuple[str, str | None]]:
    """(id, member id) of everyone waiting for a place, first in line first."""
    rows = await session.execute(
        select(registrations.c.id, registrations.c.member_id)
        .where(registrations.c.meeting_id == meeting_id, registrations.c.status == RegistrationStatus.waiting)
        .order_by(registrations.c.queue_number)
    )
    return [(r.id, r.member_id) for r in rows.all()]


async def give_places(session: AsyncSession, registration_ids: Sequence[str], now: datetime) -> None:
    if registration_ids:
        await session.execute(
            update(registrations)
            .where(registrations.c.id.in_(registration_ids))
            .values(status=RegistrationStatus.registered, promoted_at=now)
        )


async def registrations_of(session: AsyncSession, meeting_id: str) -> tuple[Registration, ...]:
    """Everyone with a place, then the waiting list in order, then those who cancelled."""
    query = select(registrations).where(registrations.c.meeting_id == meeting_id)
    rows = sorted((await session.execute(query)).all(), key=lambda r: (_ORDER[r.status], r.queue_number))
    found, position = [], 0
    for row in rows:
        waiting = row.status == RegistrationStatus.waiting
        position += waiting
        found.append(_record(row, position if waiting else None))
    return tuple(found)


async def meeting_id_of(session: AsyncSession, registration_id: str) -> str | None:
    """The meeting a registration is for, if there is such a registration."""
    return await session.scalar(select(registrations.c.meeting_id).where(registrations.c.id == registration_id))


async def contact_emails_of_member(session: AsyncSession, member_id: str) -> set[str]:
    """The email addresses a member gave when registering (to forget them on erasure)."""
    query = select(registrations.c.contact_email).where(
        registrations.c.member_id == member_id, registrations.c.contact_email.is_not(None)
    )
    return {address for address in (await session.scalars(query)).all() if address}


async def contact_emails_in_use(session: AsyncSession, addresses: Sequence[str]) -> set[str]:
    """Which of `addresses` (in lower case) some registration still holds."""
    wanted = {address.lower() for address in addresses}
    if not wanted:
        return set()
    query = select(func.lower(registrations.c.contact_email)).where(
        func.lower(registrations.c.contact_email).in_(wanted)
    )
    return {address for address in (await session.scalars(query)).all() if address}


async def forget_details_of_member(session: AsyncSession, member_id: str) -> None:
    """Keep nothing but the bare member id (access needs and notes can say much about health)."""
    await session.execute(
        update(registrations)
        .where(registrations.c.member_id == member_id)
        .values(**dict.fromkeys(DETAILS), access_needs=[])
    )


def _expired(ended_before: datetime) -> tuple[ColumnElement[bool], ColumnElement[bool]]:
    ended = select(meetings.c.id).where(meetings.c.ends_at < ended_before)
    return registrations.c.meeting_id.in_(ended), or_(*(registrations.c[column].is_not(None) for column in DETAILS))


async def details_kept_after_meetings_ended_before(session: AsyncSession, ended_before: datetime) -> bool:
    """Whether any registration for a meeting that ended before then still holds details."""
    query = select(registrations.c.id).where(*_expired(ended_before)).limit(1)
    return (await session.execute(query)).first() is not None


async def contact_emails_to_clear(session: AsyncSession, ended_before: datetime) -> set[str]:
    """The email addresses `clear_details` will clear."""
    query = select(registrations.c.contact_email).where(
        *_expired(ended_before), registrations.c.contact_email.is_not(None)
    )
    return {address for address in (await session.scalars(query)).all() if address}


async def clear_details(session: AsyncSession, ended_before: datetime) -> int:
    """Clear the details of registrations for meetings that ended before then; returns how many."""
    cleared = cast(
        CursorResult[Any],
        await session.execute(update(registrations).where(*_expired(ended_before)).values(**dict.fromkeys(DETAILS))),
    )
    return cleared.rowcount


def _record(row: Row[Any], waiting_position: int | None) -> Registration:
    return Registration(
        id=row.id,
        meeting_id=row.meeting_id,
        queue_number=row.queue_number,
        member_id=row.member_id,
        name=row.name,
        contact_email=row.contact_email,
        contact_phone=row.contact_phone,
        access_needs=tuple(row.access_needs),
        access_notes=row.access_notes,
        status=RegistrationStatus(row.status),
        registered_at=row.registered_at,
        promoted_at=row.promoted_at,
        cancelled_at=row.cancelled_at,
        waiting_position=waiting_position,
    )
