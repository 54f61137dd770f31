"""Governors follow escalations: acknowledge them, add notes, see them answered and resolved, and
are told again, once, when one passes its respond-by date without a response (by event, and by
email to each governor who asked for it)."""

from __future__ import annotations

import uuid
from dataclasses import fields
from datetime import UTC, date, datetime

from feedback import domain
from feedback.records import Escalation, EscalationInFull, Note
from feedback.schemas import Acknowledgement, NoteCreate, Resolution
from feedback.service import Actor, emails
from feedback.store import escalation_queries, response_queries
from forum_shared.db import Database
from forum_shared.events.feedback import EscalationAcknowledged, EscalationOverdue, EscalationResolved
from forum_shared.identity.principal import Principal
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import unit_of_work

log = get_logger("feedback.governance")


async def acknowledge(
    db: Database, governor: Principal, escalation_id: str, data: Acknowledgement, today: date
) -> Escalation:
    """A governor acknowledges an escalation: they have seen it and will follow it. This service
    keeps the name they sign with for its pages; the event names them only by their account id."""
    async with unit_of_work(db, governor, "escalation.acknowledged", f"escalation:{escalation_id}") as work:
        state = await escalation_queries.load_state(work.session, escalation_id)
        status = domain.status_after_acknowledgement(state.status, state.acknowledged_by)
        now = datetime.now(UTC)
        await escalation_queries.set_acknowledged(
            work.session, escalation_id, status, governor=data.governor, governor_id=governor.id, at=now
        )
        await work.publish(
            EscalationAcknowledged(escalation_id=escalation_id, governor=governor.id, acknowledged_at=now)
        )
        return await escalation_queries.load_escalation(work.session, escalation_id, today)


async def add_note(db: Database, actor: Actor, escalation_id: str, data: NoteCreate) -> Note:
    """A governor adds a note to an escalation (kept in this service; not published)."""
    async with unit_of_work(db, actor, "escalation.note_added", f"escalation:{escalation_id}") as work:
        await escalation_queries.load_state(work.session, escalation_id)
        note = Note(
            id=str(uuid.uuid4()), escalation_id=escalation_id, governor=data.governor, text=data.text,
            added_at=datetime.now(UTC),
        )
        await escalation_queries.add_note(work.session, note)
        work.audit("escalation.note_added", note_id=note.id)
        return note


async def resolve(db: Database, actor: Actor, escalation_id: str, data: Resolution, today: date) -> Escalation:
    """An escalation that has had its response is resolved: it can leave the agenda."""
    async with unit_of_work(db, actor, "escalation.resolved", f"escalation:{escalation_id}") as work:
        state = await escalation_queries.load_state(work.session, escalation_id)
        status = domain.status_after_resolution(state.status)
        now = datetime.now(UTC)
        await escalation_queries.set_resolved(work.session, escalation_id, status, now)
        await work.publish(EscalationResolved(escalation_id=escalation_id, resolved_at=now))
        return await escalation_queries.load_escalation(work.session, escalation_id, today)


async def check_overdue(db: Database, today: date) -> list[str]:
    """Tell governors, once, about each escalation past its respond-by date without a response.
    Returns the ids found overdue now. Run every so often, and safe to run from several replicas."""
    found = []
    async with unit_of_work(db, "system") as work:
        now = datetime.now(UTC)
        for esc in await escalation_queries.due_for_overdue_notice(work.session, today):
            if not await escalation_queries.mark_overdue(work.session, esc.id, now):
                continue
            await work.publish(
                EscalationOverdue(
                    escalation_id=esc.id,
                    summary=esc.summary,
                    respond_by=esc.respond_by,
                    reason=esc.reason,
                    raised_by=esc.raised_by,
                    themes=list(esc.themes),
                    area=esc.area,
                    feedback_ids=list(esc.feedback_ids),
                    linked_feedback_count=esc.linked_feedback_count,
                    status=esc.status,
                    raised_at=esc.raised_at,
                    overdue_on=today,
                )
            )
            await emails.tell_governors_overdue(work, esc)
            found.append(esc.id)
    if found:
        log.info("overdue escalations found", count=len(found), escalation_ids=found)
    return found


async def escalation_in_full(db: Database, escalation_id: str, today: date) -> EscalationInFull:
    """An escalation with its governors' notes and published responses."""
    async with db.read() as session:
        esc = await escalation_queries.load_escalation(session, escalation_id, today)
        notes = await escalation_queries.notes_on(session, escalation_id)
        answered = await response_queries.responses_to_escalation(session, escalation_id)
    return EscalationInFull(
        **{f.name: getattr(esc, f.name) for f in fields(esc)},
        notes=tuple(notes),
        responses=tuple(answered),
    )
