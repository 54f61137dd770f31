"""Members, the history of their consents, and the trace an erasure leaves."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.tables import idempotency_keys
from membership.domain import Channel, ConsentPurpose, MemberStatus
from membership.records import Consent, Member
from membership.store.tables import (
    assignments,
    consents,
    erasures,
    interests,
    involvement_entries,
    member_sessions,
    member_sign_in_links,
    members,
    representatives,
)


async def member_id_with_email(session: AsyncSession, email: str) -> str | None:
    """The id of the member who uses this email address, if any (emails are kept in lower case)."""
    return await session.scalar(select(members.c.id).where(members.c.email == email))


async def email_in_use(session: AsyncSession, email: str) -> bool:
    return await member_id_with_email(session, email) is not None


async def add_member(session: AsyncSession, member_id: str, details: dict[str, Any], now: datetime) -> None:
    """Raises IntegrityError if the email was taken at the same moment (it is unique)."""
    await session.execute(
        insert(members).values(
            **details, id=member_id, status=MemberStatus.active.value, joined_at=now, updated_at=now
        )
    )


async def change_member(session: AsyncSession, member_id: str, changes: dict[str, Any], now: datetime) -> None:
    """Raises IntegrityError if a new email was taken at the same moment."""
    await session.execute(update(members).where(members.c.id == member_id).values(**changes, updated_at=now))


async def mark_left(session: AsyncSession, member_id: str, now: datetime) -> None:
    await session.execute(
        update(members)
        .where(members.c.id == member_id)
        .values(status=MemberStatus.left.value, left_at=now, updated_at=now)
    )


async def add_consents(session: AsyncSession, member_id: str, answers: Sequence[Consent]) -> None:
    if answers:
        await session.execute(
            insert(consents),
            [
                {"member_id": member_id, "purpose": a.purpose.value, "given": a.given, "given_at": a.given_at}
                for a in answers
            ],
        )


async def get_member(session: AsyncSession, member_id: str) -> Member | None:
    row = (await session.execute(select(members).where(members.c.id == member_id))).first()
    if row is None:
        return None
    return _member(row, (await _current_consents(session, [member_id]))[member_id])


async def find_members(
    session: AsyncSession, *, status: MemberStatus | None = None, holding_role: tuple[str, date] | None = None
) -> list[Member]:
    """Members oldest first, of one status, or holding a role (id) on a day."""
    query = select(members).order_by(members.c.joined_at, members.c.id)
    if status:
        query = query.where(members.c.status == status.value)
    if holding_role:
        role_id, day = holding_role
        holders = select(assignments.c.member_id).where(
            assignments.c.role_id == role_id,
            assignments.c.starts_on <= day,
            or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= day),
        )
        query = query.where(members.c.id.in_(holders))
    rows = (await session.execute(query)).all()
    held = await _current_consents(session, [r.id for r in rows])
    return [_member(r, held[r.id]) for r in rows]


async def known_member_ids(session: AsyncSession, member_ids: Sequence[str]) -> set[str]:
    """Which of these ids are members here (not erased, and not from elsewhere)."""
    if not member_ids:
        return set()
    return set(await session.scalars(select(members.c.id).where(members.c.id.in_(member_ids))))


async def current_areas_and_connections(session: AsyncSession) -> list[tuple[str | None, list[str]]]:
    """The area and connections of each member who has not left, and nothing else about them."""
    rows = await session.execute(
        select(members.c.area, members.c.connections).where(members.c.status == MemberStatus.active.value)
    )
    return [(r.area, list(r.connections or [])) for r in rows.all()]


async def erased_at(session: AsyncSession, member_id: str) -> datetime | None:
    return await session.scalar(select(erasures.c.erased_at).where(erasures.c.member_id == member_id))


async def erase_member(session: AsyncSession, member_id: str, now: datetime) -> None:
    """Delete every row about the member, keeping only their id and the time in `erasures`."""
    # Children first, so foreign keys hold at every step.
    tables = (involvement_entries, interests, representatives, consents, assignments, member_sign_in_links,
              member_sessions)
    for table in tables:
        await session.execute(delete(table).where(table.c.member_id == member_id))
    await session.execute(delete(members).where(members.c.id == member_id))
    await session.execute(insert(erasures).values(member_id=member_id, erased_at=now))
    # Answers kept for a day so that a retried request (same Idempotency-Key) gets the same reply
    # can show the member's name and contact details: they go too. A retry after this is a new request.
    await session.execute(
        delete(idempotency_keys).where(idempotency_keys.c.response_body.contains(member_id, autoescape=True))
    )


def _member(row: Any, answers: tuple[Consent, ...]) -> Member:
    return Member(
        id=row.id,
        display_name=row.display_name,
        email=row.email,
        phone=row.phone,
        postal_address=row.postal_address,
        preferred_channel=Channel(row.preferred_channel) if row.preferred_channel else None,
        area=row.area,
        connections=tuple(row.connections or ()),
        access_needs=tuple(row.access_needs or ()),
        status=MemberStatus(row.status),
        joined_at=row.joined_at,
        updated_at=row.updated_at,
        left_at=row.left_at,
        consents=answers,
    )


async def _current_consents(session: AsyncSession, member_ids: list[str]) -> dict[str, tuple[Consent, ...]]:
    """The newest answer per purpose for each member, by purpose."""
    newest: dict[str, dict[str, Consent]] = {m: {} for m in member_ids}
    if not member_ids:
        return {}
    rows = await session.execute(
        select(consents)
        .where(consents.c.member_id.in_(member_ids))
        .order_by(consents.c.given_at, consents.c.id)
    )
    for row in rows.all():
        newest[row.member_id][row.purpose] = Consent(ConsentPurpose(row.purpose), row.given, row.given_at)
    return {m: tuple(sorted(by.values(), key=lambda c: c.purpose.value)) for m, by in newest.items()}
