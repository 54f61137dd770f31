"""Escalations to governors: raised, linked to feedback, followed, found overdue, read."""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, insert, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import EscalationStatus, RaisedBy
from feedback.records import Escalation, Note
from feedback.store.tables import escalation_feedback, escalation_notes, escalations, feedback, rows_changed
from forum_shared.errors import NotFound


@dataclass(frozen=True)
class EscalationState:
    """Where an escalation is, for the rules that move it on."""

    status: EscalationStatus
    acknowledged_by: str | None
    responded_at: datetime | None


async def add_escalation(
    session: AsyncSession, *, escalation_id: str, summary: str, reason: str, notes_for_governors: str | None,
    raised_by: RaisedBy, themes: Sequence[str], area: str | None, cluster_theme: str | None, respond_by: date,
    raised_at: datetime, feedback_ids: Sequence[str],
) -> None:
    await session.execute(
        insert(escalations),
        {"id": escalation_id, "summary": summary, "reason": reason, "notes_for_governors": notes_for_governors,
         "raised_by": raised_by, "themes": list(themes), "area": area, "cluster_theme": cluster_theme,
         "status": EscalationStatus.raised, "respond_by": respond_by, "raised_at": raised_at},
    )
    await link_feedback(session, escalation_id, feedback_ids, raised_at)


async def link_feedback(session: AsyncSession, escalation_id: str, feedback_ids: Sequence[str], at: datetime) -> None:
    await session.execute(
        insert(escalation_feedback),
        [{"escalation_id": escalation_id, "feedback_id": fid, "linked_at": at} for fid in feedback_ids],
    )


async def load_state(session: AsyncSession, escalation_id: str) -> EscalationState:
    row = (
        await session.execute(
            select(escalations.c.status, escalations.c.acknowledged_by, escalations.c.responded_at).where(
                escalations.c.id == escalation_id
            )
        )
    ).first()
    if row is None:
        raise NotFound(f"There is no escalation with id {escalation_id}.")
    return EscalationState(EscalationStatus(row.status), row.acknowledged_by, row.responded_at)


async def load_escalation(session: AsyncSession, escalation_id: str, today: date) -> Escalation:
    row = (await session.execute(select(escalations).where(escalations.c.id == escalation_id))).first()
    if row is None:
        raise NotFound(f"There is no escalation with id {escalation_id}.")
    return (await _records(session, [row], today))[0]


async def list_escalations(session: AsyncSession, today: date, status: str | None = None) -> list[Escalation]:
    """Newest first; `status` is a state, or 'open' or 'overdue'."""
    query = select(escalations).order_by(escalations.c.raised_at.desc(), escalations.c.id)
    if status == "open":
        query = query.where(escalations.c.status.in_(domain.OPEN))
    elif status == "overdue":
        query = query.where(escalations.c.status.in_(domain.AWAITING_RESPONSE), escalations.c.respond_by < today)
    elif status:
        query = query.where(escalations.c.status == status)
    return await _records(session, list((await session.execute(query)).all()), today)


async def _records(session: AsyncSession, rows: Sequence[Row[Any]], today: date) -> list[Escalation]:
    links = (
        await session.execute(
            select(escalation_feedback.c.escalation_id, escalation_feedback.c.feedback_id, feedback.c.cluster_source)
            .join(feedback, feedback.c.id == escalation_feedback.c.feedback_id)
            .where(escalation_feedback.c.escalation_id.in_([r.id for r in rows]))
            .order_by(escalation_feedback.c.linked_at, escalation_feedback.c.feedback_id)
        )
    ).all()
    made = []
    for row in rows:
        mine = [link for link in links if link.escalation_id == row.id]
        status = EscalationStatus(row.status)
        made.append(
            Escalation(
                id=row.id, summary=row.summary, reason=row.reason, notes_for_governors=row.notes_for_governors,
                raised_by=RaisedBy(row.raised_by),
                themes=tuple(row.themes), area=row.area, cluster_theme=row.cluster_theme, status=status,
                respond_by=row.respond_by, raised_at=row.raised_at, acknowledged_by=row.acknowledged_by,
                acknowledged_by_id=row.acknowledged_by_id,
                acknowledged_at=row.acknowledged_at, responded_at=row.responded_at, resolved_at=row.resolved_at,
                overdue_at=row.overdue_at, feedback_ids=tuple(link.feedback_id for link in mine),
                source_count=domain.distinct_sources(link.cluster_source for link in mine),
                overdue=domain.is_overdue(status, row.respond_by, today),
            )
        )
    return made


async def linked_feedback_ids(session: AsyncSession, escalation_id: str) -> list[str]:
    rows = await session.scalars(
        select(escalation_feedback.c.feedback_id)
        .where(escalation_feedback.c.escalation_id == escalation_id)
        .order_by(escalation_feedback.c.linked_at, escalation_feedback.c.feedback_id)
    )
    return list(rows)


async def automatic_escalation_of(session: AsyncSession, feedback_id: str) -> str | None:
    """The escalation a safeguarding flag or top criticality already raised for this feedback."""
    return await session.scalar(
        select(escalations.c.id)
        .join(escalation_feedback, escalation_feedback.c.escalation_id == escalations.c.id)
        .where(
            escalation_feedback.c.feedback_id == feedback_id,
            escalations.c.raised_by.in_([RaisedBy.safeguarding, RaisedBy.criticality]),
        )
        .limit(1)
    )


async def open_cluster_escalation(session: AsyncSession, theme: str) -> str | None:
    return await session.scalar(
        select(escalations.c.id).where(escalations.c.cluster_theme == theme, escalations.c.status.in_(domain.OPEN))
    )


async def lock_cluster(session: AsyncSession, theme: str) -> None:
    """Two replicas receiving feedback on one theme at once must not both raise a cluster
    escalation: on PostgreSQL they queue on a per-theme lock held until commit. SQLite already
    lets one writer in at a time."""
    if (await session.connection()).dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"cluster:{theme}".encode()).digest()[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def set_acknowledged(
    session: AsyncSession, escalation_id: str, status: EscalationStatus, *, governor: str, governor_id: str,
    at: datetime,
) -> None:
    await session.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id)
        .values(status=status, acknowledged_by=governor, acknowledged_by_id=governor_id, acknowledged_at=at)
    )


async def set_responded(session: AsyncSession, escalation_id: str, status: EscalationStatus, at: datetime) -> None:
    await session.execute(
        update(escalations).where(escalations.c.id == escalation_id).values(status=status, responded_at=at)
    )


async def set_resolved(session: AsyncSession, escalation_id: str, status: EscalationStatus, at: datetime) -> None:
    await session.execute(
        update(escalations).where(escalations.c.id == escalation_id).values(status=status, resolved_at=at)
    )


async def due_for_overdue_notice(session: AsyncSession, today: date) -> list[Escalation]:
    """Awaiting a response past their respond-by date, and governors not yet told."""
    rows = (
        await session.execute(
            select(escalations)
            .where(
                escalations.c.status.in_(domain.AWAITING_RESPONSE),
                escalations.c.respond_by < today,
                escalations.c.overdue_at.is_(None),
            )
            .order_by(escalations.c.respond_by, escalations.c.id)
        )
    ).all()
    return await _records(session, list(rows), today)


async def mark_overdue(session: AsyncSession, escalation_id: str, at: datetime) -> bool:
    """Mark it overdue unless already marked; of two checks running at once only one succeeds."""
    marked = await session.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id, escalations.c.overdue_at.is_(None))
        .values(overdue_at=at)
    )
    return rows_changed(marked) == 1


async def add_note(session: AsyncSession, note: Note) -> None:
    await session.execute(
        insert(escalation_notes).values(
            id=note.id, escalation_id=note.escalation_id, governor=note.governor, text=note.text, added_at=note.added_at
        )
    )


async def notes_on(session: AsyncSession, escalation_id: str) -> list[Note]:
    rows = await session.execute(
        select(escalation_notes)
        .where(escalation_notes.c.escalation_id == escalation_id)
        .order_by(escalation_notes.c.added_at)
    )
    return [Note(r.id, r.escalation_id, r.governor, r.text, r.added_at) for r in rows]
