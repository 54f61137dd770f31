"""Use cases of the meetings service; each runs inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import NotFound
from forum_shared.events import IssueEscalated, MeetingScheduled
from meetings.schemas import MeetingCreate
from meetings.store import agenda_items, meetings


async def schedule_meeting(session: AsyncSession, data: MeetingCreate) -> dict:
    """Schedule a forum meeting; escalations waiting for a meeting join its agenda."""
    row = {
        **data.model_dump(),
        "online_url": str(data.online_url) if data.online_url else None,
        "id": str(uuid.uuid4()),
        "status": "scheduled",
    }
    await session.execute(insert(meetings).values(**row))
    if await _next_meeting_id(session) == row["id"]:
        await session.execute(
            update(agenda_items).where(agenda_items.c.meeting_id.is_(None)).values(meeting_id=row["id"])
        )
    await outbox.record(
        session,
        MeetingScheduled(
            meeting_id=row["id"],
            title=row["title"],
            starts_at=row["starts_at"],
            ends_at=row["ends_at"],
            area=row["area"],
            public=row["public"],
        ),
    )
    return await get_meeting(session, row["id"])


async def add_escalation_to_agenda(session: AsyncSession, event: IssueEscalated) -> None:
    """An escalated issue goes on the next forum meeting's agenda, or waits for one."""
    already = await session.scalar(
        select(agenda_items.c.id).where(agenda_items.c.escalation_id == event.escalation_id)
    )
    if already:
        return
    await session.execute(
        insert(agenda_items).values(
            id=str(uuid.uuid4()),
            meeting_id=await _next_meeting_id(session),
            title=f"Escalated issue: {event.summary}",
            kind="escalation",
            escalation_id=event.escalation_id,
            added_at=datetime.now(UTC),
        )
    )


async def _next_meeting_id(session: AsyncSession) -> str | None:
    return await session.scalar(
        select(meetings.c.id)
        .where(meetings.c.status == "scheduled", meetings.c.starts_at > datetime.now(UTC))
        .order_by(meetings.c.starts_at)
        .limit(1)
    )


async def get_meeting(session: AsyncSession, meeting_id: str) -> dict:
    row = (await session.execute(select(meetings).where(meetings.c.id == meeting_id))).first()
    if row is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    items = (
        await session.execute(
            select(agenda_items).where(agenda_items.c.meeting_id == meeting_id).order_by(agenda_items.c.added_at)
        )
    ).all()
    return {**row._mapping, "agenda": [dict(i._mapping) for i in items]}


async def list_meetings(session: AsyncSession) -> list[dict]:
    rows = (await session.execute(select(meetings).order_by(meetings.c.starts_at))).all()
    return [dict(r._mapping) for r in rows]


async def waiting_agenda_items(session: AsyncSession) -> list[dict]:
    rows = (await session.execute(select(agenda_items).where(agenda_items.c.meeting_id.is_(None)))).all()
    return [dict(r._mapping) for r in rows]
