"""Governors follow escalations: acknowledge, add notes, see them resolved — and are told again,
once, when one passes its respond-by date without a response."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.escalation_schemas import Acknowledgement, NoteCreate, Resolution
from feedback.escalations import escalation_view
from feedback.store import escalation_notes, escalations, linked_feedback_ids, load_escalation, response_feedback, responses
from forum_shared import outbox
from forum_shared.errors import Conflict
from forum_shared.events import EscalationAcknowledged, EscalationOverdue, EscalationResolved


async def acknowledge(session: AsyncSession, escalation_id: str, data: Acknowledgement, today: date) -> dict:
    """A governor acknowledges an escalation: they have seen it and will follow it."""
    esc = await load_escalation(session, escalation_id)
    try:
        status = domain.status_after_acknowledgement(esc["status"], esc["acknowledged_by"])
    except domain.RuleBroken as exc:
        raise Conflict(str(exc)) from exc
    now = datetime.now(UTC)
    await session.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id)
        .values(status=status, acknowledged_by=data.governor, acknowledged_at=now)
    )
    await outbox.record(
        session, EscalationAcknowledged(escalation_id=escalation_id, governor=data.governor, acknowledged_at=now)
    )
    return await escalation_view(session, escalation_id, today)


async def add_note(session: AsyncSession, escalation_id: str, data: NoteCreate) -> dict:
    """A governor adds a note to an escalation (kept in this service; not published)."""
    await load_escalation(session, escalation_id)
    row = {"id": str(uuid.uuid4()), "escalation_id": escalation_id, "governor": data.governor,
           "text": data.text, "added_at": datetime.now(UTC)}
    await session.execute(insert(escalation_notes).values(**row))
    return row


async def resolve(session: AsyncSession, escalation_id: str, data: Resolution, today: date) -> dict:
    """An escalation that has had its response is resolved."""
    esc = await load_escalation(session, escalation_id)
    try:
        status = domain.status_after_resolution(esc["status"])
    except domain.RuleBroken as exc:
        raise Conflict(str(exc)) from exc
    now = datetime.now(UTC)
    await session.execute(
        update(escalations).where(escalations.c.id == escalation_id).values(status=status, resolved_at=now)
    )
    await outbox.record(session, EscalationResolved(escalation_id=escalation_id, resolved_at=now))
    return await escalation_view(session, escalation_id, today)


async def check_overdue(session: AsyncSession, today: date) -> list[str]:
    """Tell governors, once, about each escalation past its respond-by date without a response.
    Returns the ids found overdue now. Run periodically, and safe to run from several replicas."""
    due = (
        await session.execute(
            select(escalations).where(
                escalations.c.status.in_(domain.AWAITING_RESPONSE),
                escalations.c.respond_by < today,
                escalations.c.overdue_at.is_(None),
            ).order_by(escalations.c.respond_by, escalations.c.id)
        )
    ).all()
    found = []
    now = datetime.now(UTC)
    for esc in due:
        # Marking is conditional, so of two checks running at once only one raises the event.
        marked = await session.execute(
            update(escalations)
            .where(escalations.c.id == esc.id, escalations.c.overdue_at.is_(None))
            .values(overdue_at=now)
        )
        if marked.rowcount != 1:
            continue
        ids = await linked_feedback_ids(session, esc.id)
        await outbox.record(
            session,
            EscalationOverdue(
                escalation_id=esc.id,
                summary=esc.summary,
                respond_by=esc.respond_by,
                reason=esc.reason,
                raised_by=esc.raised_by,
                themes=esc.themes,
                area=esc.area,
                feedback_ids=ids,
                linked_feedback_count=len(ids),
                status=esc.status,
                raised_at=esc.raised_at,
                overdue_on=today,
            ),
        )
        found.append(esc.id)
    return found


async def escalation_detail(session: AsyncSession, escalation_id: str, today: date) -> dict:
    """An escalation with its governors' notes and published responses."""
    view = await escalation_view(session, escalation_id, today)
    notes = await session.execute(
        select(escalation_notes).where(escalation_notes.c.escalation_id == escalation_id).order_by(escalation_notes.c.added_at)
    )
    view["notes"] = [dict(n._mapping) for n in notes.all()]
    answered = await session.execute(
        select(responses).where(responses.c.escalation_id == escalation_id).order_by(responses.c.responded_at)
    )
    view["responses"] = []
    for r in answered.all():
        ids = await session.scalars(select(response_feedback.c.feedback_id).where(response_feedback.c.response_id == r.id))
        view["responses"].append({**r._mapping, "feedback_ids": list(ids)})
    return view
