"""Members signing in by an emailed link: the links (by their token's hash) and the sign-ins they
start (by the cookie token's hash). Neither table holds a token itself."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from membership.records import MemberSession, SignInLink
from membership.store.tables import member_sessions, member_sign_in_links


async def links_since(session: AsyncSession, member_id: str, since: datetime) -> int:
    """How many links were emailed to the member since then."""
    count = await session.scalar(
        select(func.count())
        .select_from(member_sign_in_links)
        .where(member_sign_in_links.c.member_id == member_id, member_sign_in_links.c.created_at > since)
    )
    return int(count or 0)


async def add_link(
    session: AsyncSession, token_hash: str, member_id: str, next_url: str | None, now: datetime, expires_at: datetime
) -> None:
    await session.execute(
        insert(member_sign_in_links).values(
            token_hash=token_hash, member_id=member_id, next_url=next_url, created_at=now, expires_at=expires_at
        )
    )


async def get_link(session: AsyncSession, token_hash: str) -> SignInLink | None:
    row = (
        await session.execute(select(member_sign_in_links).where(member_sign_in_links.c.token_hash == token_hash))
    ).first()
    return None if row is None else SignInLink(row.member_id, row.next_url, row.expires_at, row.used_at)


async def use_link(session: AsyncSession, token_hash: str, now: datetime) -> bool:
    """Mark the link used if it is unused and unexpired; False if it was not (only one request can
    win, even at the same moment)."""
    result = await session.execute(
        update(member_sign_in_links)
        .where(
            member_sign_in_links.c.token_hash == token_hash,
            member_sign_in_links.c.used_at.is_(None),
            member_sign_in_links.c.expires_at > now,
        )
        .values(used_at=now)
    )
    return bool(getattr(result, "rowcount", 0) == 1)


async def forget_old_links(session: AsyncSession, before: datetime) -> None:
    """Links that expired before then are no use to anyone, even to say they expired."""
    await session.execute(delete(member_sign_in_links).where(member_sign_in_links.c.expires_at < before))


async def add_session(
    session: AsyncSession, token_hash: str, member_id: str, now: datetime, expires_at: datetime
) -> None:
    await session.execute(
        insert(member_sessions).values(
            token_hash=token_hash, member_id=member_id, created_at=now, last_seen_at=now, expires_at=expires_at
        )
    )
    # Expired sign-ins of anyone are tidied here, which is often enough and needs no timer.
    await session.execute(delete(member_sessions).where(member_sessions.c.expires_at < now))


async def get_session(session: AsyncSession, token_hash: str) -> MemberSession | None:
    row = (await session.execute(select(member_sessions).where(member_sessions.c.token_hash == token_hash))).first()
    return None if row is None else MemberSession(row.member_id, row.last_seen_at, row.expires_at)


async def touch_session(session: AsyncSession, token_hash: str, now: datetime) -> None:
    await session.execute(
        update(member_sessions).where(member_sessions.c.token_hash == token_hash).values(last_seen_at=now)
    )


async def end_session(session: AsyncSession, token_hash: str) -> str | None:
    """End one sign-in; the member it was for, if it existed."""
    member_id = await session.scalar(
        select(member_sessions.c.member_id).where(member_sessions.c.token_hash == token_hash)
    )
    await session.execute(delete(member_sessions).where(member_sessions.c.token_hash == token_hash))
    return member_id
