"""Use cases of the feedback service; each runs inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.schemas import EscalationCreate, FeedbackCreate
from feedback.store import escalation_feedback, escalations, feedback
from forum_shared import outbox
from forum_shared.errors import NotFound
from forum_shared.events import FeedbackReceived, IssueEscalated


async def receive_feedback(session: AsyncSession, data: FeedbackCreate) -> dict:
    row = {
        **data.model_dump(),
        "id": str(uuid.uuid4()),
        "status": domain.FeedbackStatus.new,
        "received_at": datetime.now(UTC),
    }
    await session.execute(insert(feedback).values(**row))
    await outbox.record(
        session,
        FeedbackReceived(
            feedback_id=row["id"],
            received_at=row["received_at"],
            channel=data.channel,
            area=data.area,
            themes=data.themes,
            polarity=data.polarity,
            pop_up_id=data.pop_up_id,
            meeting_id=data.meeting_id,
            community_group_id=data.community_group_id,
        ),
    )
    return row


async def get_feedback(session: AsyncSession, feedback_id: str) -> dict:
    row = (await session.execute(select(feedback).where(feedback.c.id == feedback_id))).first()
    if row is None:
        raise NotFound(f"There is no feedback with id {feedback_id}.")
    return dict(row._mapping)


async def escalate(
    session: AsyncSession, feedback_id: str, data: EscalationCreate, respond_within: int
) -> dict:
    """Staff escalate feedback to governors."""
    item = await get_feedback(session, feedback_id)
    now = datetime.now(UTC)
    row = {
        "id": str(uuid.uuid4()),
        "summary": data.summary,
        "reason": data.reason,
        "raised_by": "staff",
        "themes": item["themes"],
        "area": item["area"],
        "status": domain.EscalationStatus.raised,
        "respond_by": domain.respond_by(now.date(), respond_within),
        "raised_at": now,
    }
    await session.execute(insert(escalations).values(**row))
    await session.execute(insert(escalation_feedback).values(escalation_id=row["id"], feedback_id=feedback_id))
    await outbox.record(
        session,
        IssueEscalated(
            escalation_id=row["id"],
            summary=row["summary"],
            reason=row["reason"],
            raised_by="staff",
            themes=row["themes"],
            area=row["area"],
            feedback_ids=[feedback_id],
            respond_by=row["respond_by"],
            raised_at=now,
        ),
    )
    return {**row, "feedback_ids": [feedback_id]}


async def list_escalations(session: AsyncSession) -> list[dict]:
    rows = (await session.execute(select(escalations).order_by(escalations.c.raised_at.desc()))).all()
    links = (await session.execute(select(escalation_feedback))).all()
    linked: dict[str, list[str]] = {}
    for link in links:
        linked.setdefault(link.escalation_id, []).append(link.feedback_id)
    return [{**row._mapping, "feedback_ids": linked.get(row.id, [])} for row in rows]
