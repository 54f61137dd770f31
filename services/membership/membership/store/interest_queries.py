"""Members' expressions of interest in involvement roles."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from membership.domain import InterestStatus
from membership.records import Interest
from membership.store.tables import interests, members, roles


async def add_interest(
    session: AsyncSession,
    interest_id: str,
    role_id: str,
    member_id: str,
    note: str,
    would_like_a_chat: bool,
    now: datetime,
) -> None:
    await session.execute(
        insert(interests).values(
            id=interest_id,
            role_id=role_id,
            member_id=member_id,
            note=note,
            would_like_a_chat=would_like_a_chat,
            status=InterestStatus.interested.value,
            expressed_at=now,
        )
    )


async def interested(session: AsyncSession, role_id: str, member_id: str) -> bool:
    found = await session.scalar(
        select(interests.c.id).where(interests.c.role_id == role_id, interests.c.member_id == member_id)
    )
    return found is not None


async def get_interest(session: AsyncSession, interest_id: str) -> Interest | None:
    found = await find_interests(session, interests.c.id == interest_id)
    return found[0] if found else None


async def interests_in_role(session: AsyncSession, role_id: str) -> list[Interest]:
    """First come first."""
    return await find_interests(session, interests.c.role_id == role_id)


async def interests_of_member(session: AsyncSession, member_id: str) -> list[Interest]:
    """In the order the roles were advertised."""
    return await find_interests(session, interests.c.member_id == member_id, by_role=True)


async def find_interests(session: AsyncSession, *where: Any, by_role: bool = False) -> list[Interest]:
    """First come first (within each role, in the order roles were advertised, if `by_role`)."""
    order = (roles.c.advertised_at,) if by_role else ()
    rows = await session.execute(
        select(interests, members.c.display_name, roles.c.title.label("role_title"))
        .join(members, members.c.id == interests.c.member_id)
        .join(roles, roles.c.id == interests.c.role_id)
        .where(*where)
        .order_by(*order, interests.c.expressed_at, interests.c.id)
    )
    return [
        Interest(
            id=r.id,
            role_id=r.role_id,
            role_title=r.role_title,
            member_id=r.member_id,
            display_name=r.display_name,
            note=r.note,
            would_like_a_chat=r.would_like_a_chat,
            status=InterestStatus(r.status),
            chat_on=r.chat_on,
            chat_note=r.chat_note,
            expressed_at=r.expressed_at,
        )
        for r in rows.all()
    ]


async def arrange_chat(session: AsyncSession, interest_id: str, chat_on: date | None, note: str | None) -> None:
    await session.execute(
        update(interests)
        .where(interests.c.id == interest_id)
        .values(status=InterestStatus.chat_arranged.value, chat_on=chat_on, chat_note=note)
    )


async def mark_assigned(session: AsyncSession, role_id: str, member_id: str) -> None:
    """The member now holds the role they were interested in (if they were)."""
    await session.execute(
        update(interests)
        .where(interests.c.role_id == role_id, interests.c.member_id == member_id)
        .values(status=InterestStatus.assigned.value)
    )
