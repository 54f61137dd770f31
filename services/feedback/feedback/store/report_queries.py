"""What reports count and export, between two moments (either may be open)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, select
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain import Channel, EscalationStatus, FeedbackStatus, Polarity, RaisedBy, SourceKind
from feedback.records import ExportedFeedback, RaisedEscalation, ReceivedFeedback
from feedback.store.tables import community_groups, escalation_feedback, escalations, feedback


def _within(
    query: Select[Any], column: ColumnElement[Any], start: datetime | None, end: datetime | None
) -> Select[Any]:
    if start:
        query = query.where(column >= start)
    if end:
        query = query.where(column < end)
    return query


async def received_between(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> list[ReceivedFeedback]:
    rows = await session.execute(
        _within(
            select(feedback.c.themes, feedback.c.area, feedback.c.source_kind, feedback.c.channel,
                   feedback.c.polarity, feedback.c.received_at),
            feedback.c.received_at, start, end,
        )
    )
    return [
        ReceivedFeedback(
            themes=tuple(r.themes), area=r.area, source_kind=SourceKind(r.source_kind), channel=Channel(r.channel),
            polarity=Polarity(r.polarity) if r.polarity else None, received_at=r.received_at,
        )
        for r in rows
    ]


async def raised_between(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> list[RaisedEscalation]:
    rows = await session.execute(
        _within(select(escalations.c.status, escalations.c.respond_by, escalations.c.raised_by),
                escalations.c.raised_at, start, end)
    )
    return [RaisedEscalation(EscalationStatus(r.status), r.respond_by, RaisedBy(r.raised_by)) for r in rows]


async def export_between(
    session: AsyncSession, start: datetime | None, end: datetime | None
) -> list[ExportedFeedback]:
    """Oldest first."""
    rows = await session.execute(
        _within(
            select(
                feedback.c.id, feedback.c.received_at, feedback.c.channel, feedback.c.source_kind,
                community_groups.c.name.label("group_name"), feedback.c.pop_up_id, feedback.c.meeting_id,
                feedback.c.area, feedback.c.themes, feedback.c.tags, feedback.c.polarity,
                feedback.c.safeguarding_concern, feedback.c.status, feedback.c.text,
            )
            .outerjoin(community_groups, community_groups.c.id == feedback.c.community_group_id)
            .order_by(feedback.c.received_at, feedback.c.id),
            feedback.c.received_at, start, end,
        )
    )
    escalated = set(await session.scalars(select(escalation_feedback.c.feedback_id).distinct()))
    return [
        ExportedFeedback(
            id=r.id, received_at=r.received_at, channel=Channel(r.channel), source_kind=SourceKind(r.source_kind),
            group_name=r.group_name, pop_up_id=r.pop_up_id, meeting_id=r.meeting_id, area=r.area,
            themes=tuple(r.themes), tags=tuple(r.tags), polarity=Polarity(r.polarity) if r.polarity else None,
            safeguarding_concern=r.safeguarding_concern, status=FeedbackStatus(r.status), escalated=r.id in escalated,
            text=r.text,
        )
        for r in rows
    ]
