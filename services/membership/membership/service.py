"""Use cases of the membership service; each runs inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict
from forum_shared.events import MemberJoined
from membership.schemas import MemberCreate
from membership.store import members


async def join(session: AsyncSession, data: MemberCreate) -> dict:
    email = data.email.lower() if data.email else None
    if email and await session.scalar(select(members.c.id).where(members.c.email == email)):
        raise Conflict(
            "You are already a member with this email address — welcome back! "
            "Nothing has been changed."
        )
    row = {
        **data.model_dump(),
        "email": email,
        "id": str(uuid.uuid4()),
        "status": "active",
        "joined_at": datetime.now(UTC),
    }
    await session.execute(insert(members).values(**row))
    await outbox.record(
        session, MemberJoined(member_id=row["id"], joined_at=row["joined_at"], area=row["area"])
    )
    return row


async def list_members(session: AsyncSession, area: str | None = None) -> list[dict]:
    query = select(members).order_by(members.c.joined_at)
    if area:
        query = query.where(members.c.area == area)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
