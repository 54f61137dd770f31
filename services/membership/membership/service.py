"""Use cases about members; each runs inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events import InvolvementRoleEnded, MemberErased, MemberJoined, MemberLeft
from membership import domain
from membership.schemas import ConsentAnswer, MemberCreate, MemberUpdate
from membership.store import (
    assignments,
    consents,
    erasures,
    interests,
    involvement_entries,
    members,
    representatives,
)

ALREADY_A_MEMBER = (
    "You are already a member with this email address — welcome back! Nothing has been changed."
)


async def join(session: AsyncSession, data: MemberCreate) -> dict:
    """Anyone may join with just a name; a repeated join with the same email changes nothing."""
    if data.email and await session.scalar(select(members.c.id).where(members.c.email == data.email)):
        raise Conflict(ALREADY_A_MEMBER)
    _check_contact(data.preferred_channel, data.email, data.phone, data.postal_address)
    now = datetime.now(UTC)
    row = {
        **data.model_dump(exclude={"consents"}),
        "id": str(uuid.uuid4()),
        "status": "active",
        "joined_at": now,
        "updated_at": now,
    }
    try:
        await session.execute(insert(members).values(**row))
    except IntegrityError as exc:  # the same email joined at the same moment
        raise Conflict(ALREADY_A_MEMBER) from exc
    await _record_consents(session, row["id"], data.consents, now)
    # Other services learn only the district (PE13, never PE13 1AB): the minimum they need.
    area = domain.area_label(row["area"]) if row["area"] else None
    await outbox.record(session, MemberJoined(member_id=row["id"], joined_at=now, area=area))
    return await get_member(session, row["id"])


async def get_member(session: AsyncSession, member_id: str) -> dict:
    row = (await session.execute(select(members).where(members.c.id == member_id))).first()
    if row is None:
        await _not_found(session, member_id)
    return {**row._mapping, "consents": (await _current_consents(session, [member_id]))[member_id]}


async def active_member(session: AsyncSession, member_id: str) -> dict:
    """A member who has not left: only they can take on roles or express interest."""
    member = await get_member(session, member_id)
    if member["status"] != "active":
        raise Conflict(f"{member['display_name']} has left the forum, so cannot take part in this.")
    return member


async def _not_found(session: AsyncSession, member_id: str) -> None:
    if await session.scalar(select(erasures.c.member_id).where(erasures.c.member_id == member_id)):
        raise NotFound(
            "This member asked for their details to be erased: the forum holds nothing about them."
        )
    raise NotFound(f"There is no member with id {member_id}.")


async def list_members(
    session: AsyncSession,
    *,
    area: str | None = None,
    connection: str | None = None,
    access_need: str | None = None,
    role_id: str | None = None,
    status: str | None = None,
) -> list[dict]:
    """Members oldest first, narrowed by any of: area, connection, access need, role held, status."""
    query = select(members).order_by(members.c.joined_at, members.c.id)
    if status:
        query = query.where(members.c.status == status)
    if role_id:
        today = domain.today()
        holders = select(assignments.c.member_id).where(
            assignments.c.role_id == role_id,
            assignments.c.starts_on <= today,
            or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= today),
        )
        query = query.where(members.c.id.in_(holders))
    rows = [dict(r._mapping) for r in (await session.execute(query)).all()]
    # Lists of the person's own words are matched here rather than in SQL, the same way on
    # SQLite and PostgreSQL; the forum has hundreds of members, not millions.
    if area:
        rows = [r for r in rows if domain.area_key(r["area"]) == domain.area_key(area)]
    if connection:
        rows = [r for r in rows if _has(r["connections"], connection)]
    if access_need:
        rows = [r for r in rows if _has(r["access_needs"], access_need)]
    held = await _current_consents(session, [r["id"] for r in rows])
    return [{**r, "consents": held[r["id"]]} for r in rows]


def _has(labels: list[str], wanted: str) -> bool:
    wanted = domain.tidy(wanted).casefold()
    return any(label.casefold() == wanted for label in labels)


async def update_member(session: AsyncSession, member_id: str, data: MemberUpdate) -> dict:
    """Members change their details and preferences; only what is sent changes."""
    member = await get_member(session, member_id)
    changes = data.model_dump(exclude_unset=True, exclude={"consents"})
    merged = {**member, **changes}
    _check_contact(merged["preferred_channel"], merged["email"], merged["phone"], merged["postal_address"])
    if changes.get("email") and changes["email"] != member["email"]:
        taken = await session.scalar(select(members.c.id).where(members.c.email == changes["email"]))
        if taken:
            raise Conflict("Another member already uses this email address. Nothing has been changed.")
    now = datetime.now(UTC)
    try:
        await session.execute(
            update(members).where(members.c.id == member_id).values(**changes, updated_at=now)
        )
    except IntegrityError as exc:  # the same email taken at the same moment
        raise Conflict("Another member already uses this email address. Nothing has been changed.") from exc
    await _record_consents(session, member_id, data.consents, now)
    return await get_member(session, member_id)


async def leave(session: AsyncSession, member_id: str) -> dict:
    """A member leaves: their roles end today; their record stays unless they ask for erasure."""
    member = await get_member(session, member_id)
    if member["status"] == "left":
        raise Conflict(f"{member['display_name']} has already left the forum. Nothing has been changed.")
    now = datetime.now(UTC)
    today = domain.today()
    current = await session.execute(
        select(assignments).where(
            assignments.c.member_id == member_id,
            or_(assignments.c.ends_on.is_(None), assignments.c.ends_on >= today),
        )
    )
    for holding in current.all():
        # A holding that has not started yet ends on its first day: it never really began.
        ends_on = max(today, holding.starts_on)
        await session.execute(
            update(assignments).where(assignments.c.id == holding.id).values(ends_on=ends_on, ended_at=now)
        )
        await outbox.record(
            session,
            InvolvementRoleEnded(
                assignment_id=holding.id, member_id=member_id, role_id=holding.role_id, ends_on=ends_on
            ),
        )
    await session.execute(
        update(members).where(members.c.id == member_id).values(status="left", left_at=now, updated_at=now)
    )
    await outbox.record(session, MemberLeft(member_id=member_id, left_at=now))
    return await get_member(session, member_id)


async def erase(session: AsyncSession, member_id: str) -> dict:
    """Forget a member: delete everything about them here and tell every service to do the same.

    Only the id and the time of erasure remain, so a late event about them is ignored. Asking
    again is harmless and gives the same answer.
    """
    done = (await session.execute(select(erasures).where(erasures.c.member_id == member_id))).first()
    if done:
        return {**done._mapping, "message": "This member's details were already erased."}
    if not await session.scalar(select(members.c.id).where(members.c.id == member_id)):
        raise NotFound(f"There is no member with id {member_id}.")
    # Children first, so foreign keys hold at every step.
    for table in (involvement_entries, interests, representatives, consents, assignments):
        await session.execute(delete(table).where(table.c.member_id == member_id))
    await session.execute(delete(members).where(members.c.id == member_id))
    await outbox.forget(session, member_id)
    now = datetime.now(UTC)
    await session.execute(insert(erasures).values(member_id=member_id, erased_at=now))
    await outbox.record(session, MemberErased(member_id=member_id, erased_at=now))
    return {
        "member_id": member_id,
        "erased_at": now,
        "message": "All details of this member have been erased, and every service has been asked "
        "to forget them.",
    }


def _check_contact(channel, email, phone, post) -> None:
    problem = domain.missing_contact(channel, email, phone, post)
    if problem:
        raise Invalid(problem)


async def _record_consents(
    session: AsyncSession, member_id: str, answers: list[ConsentAnswer], now: datetime
) -> None:
    if answers:
        await session.execute(
            insert(consents),
            [
                {
                    "member_id": member_id,
                    "purpose": a.purpose,
                    "given": a.given,
                    "given_at": a.given_at or now,
                }
                for a in answers
            ],
        )


async def _current_consents(session: AsyncSession, member_ids: list[str]) -> dict[str, list[dict]]:
    """The newest answer per purpose for each member."""
    newest: dict[str, dict[str, dict]] = {m: {} for m in member_ids}
    if not member_ids:
        return {}
    rows = await session.execute(
        select(consents)
        .where(consents.c.member_id.in_(member_ids))
        .order_by(consents.c.given_at, consents.c.id)
    )
    for row in rows.all():
        newest[row.member_id][row.purpose] = {
            "purpose": row.purpose,
            "wording": domain.CONSENT_WORDING[domain.ConsentPurpose(row.purpose)],
            "given": row.given,
            "given_at": row.given_at,
        }
    return {m: sorted(by_purpose.values(), key=lambda c: c["purpose"]) for m, by_purpose in newest.items()}
