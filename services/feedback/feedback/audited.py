"""Staff and governors' changes, each recorded in the audit log in the same transaction as the
change itself. The JSON API and the pages both call these, so the two never differ. Audit entries
hold ids only, never the words of feedback, names or contact details."""

from __future__ import annotations

from datetime import date

from feedback import escalations, governance, responses, service, themes
from feedback.domain import Rules
from feedback.escalation_schemas import (
    Acknowledgement,
    EscalationCreate,
    EscalationOfMany,
    NoteCreate,
    Resolution,
    ResponseCreate,
)
from feedback.schemas import FeedbackTriage, ViewsCreate
from forum_shared.db import Database
from forum_shared.audit import record_audit
from forum_shared.ui import Principal


async def receive_views(
    db: Database, user: Principal, data: ViewsCreate, rules: Rules, *, pop_up_id: str | None = None,
    meeting_id: str | None = None,
) -> list[dict]:
    async with db.transaction() as session:
        recorded = await service.receive_views(session, data, rules, pop_up_id=pop_up_id, meeting_id=meeting_id)
        where = f"pop_up:{pop_up_id}" if pop_up_id else f"meeting:{meeting_id}"
        await record_audit(session, user, "feedback.views_recorded", where, {"feedback_ids": [r["id"] for r in recorded]})
        return recorded


async def triage(db: Database, user: Principal, feedback_id: str, data: FeedbackTriage, rules: Rules) -> dict:
    async with db.transaction() as session:
        item = await service.triage(session, feedback_id, data, rules)
        await record_audit(
            session, user, "feedback.triaged", f"feedback:{feedback_id}",
            {"themes": item["themes"], "criticality": item["criticality"]},
        )
        return item


async def close(db: Database, user: Principal, feedback_id: str) -> dict:
    async with db.transaction() as session:
        item = await service.close(session, feedback_id)
        await record_audit(session, user, "feedback.closed", f"feedback:{feedback_id}")
        return item


async def escalate(db: Database, user: Principal, feedback_ids: list[str], data: EscalationCreate, rules: Rules) -> dict:
    async with db.transaction() as session:
        esc = await escalations.escalate_by_staff(session, feedback_ids, data, rules)
        await record_audit(session, user, "escalation.raised", f"escalation:{esc['id']}", {"feedback_ids": esc["feedback_ids"]})
        return esc


async def escalate_many(db: Database, user: Principal, data: EscalationOfMany, rules: Rules) -> dict:
    return await escalate(db, user, data.feedback_ids, data, rules)


async def link_feedback(db: Database, user: Principal, escalation_id: str, feedback_ids: list[str], today: date) -> dict:
    async with db.transaction() as session:
        new = await escalations.link_feedback(session, escalation_id, feedback_ids)
        await record_audit(session, user, "escalation.feedback_linked", f"escalation:{escalation_id}", {"feedback_ids": new})
        return await escalations.escalation_view(session, escalation_id, today)


async def respond_to_feedback(db: Database, user: Principal, feedback_id: str, data: ResponseCreate) -> dict:
    async with db.transaction() as session:
        response = await responses.respond_to_feedback(session, feedback_id, data)
        await record_audit(session, user, "response.published", f"response:{response['id']}", {"feedback_ids": [feedback_id]})
        return response


async def respond_to_escalation(db: Database, user: Principal, escalation_id: str, data: ResponseCreate) -> dict:
    async with db.transaction() as session:
        response = await responses.respond_to_escalation(session, escalation_id, data)
        await record_audit(
            session, user, "response.published", f"response:{response['id']}", {"escalation_id": escalation_id}
        )
        return response


async def resolve(db: Database, user: Principal, escalation_id: str, data: Resolution, today: date) -> dict:
    async with db.transaction() as session:
        esc = await governance.resolve(session, escalation_id, data, today)
        await record_audit(session, user, "escalation.resolved", f"escalation:{escalation_id}")
        return esc


async def acknowledge(db: Database, user: Principal, escalation_id: str, data: Acknowledgement, today: date) -> dict:
    async with db.transaction() as session:
        esc = await governance.acknowledge(session, escalation_id, data, today)
        await record_audit(session, user, "escalation.acknowledged", f"escalation:{escalation_id}")
        return esc


async def add_note(db: Database, user: Principal, escalation_id: str, data: NoteCreate) -> dict:
    async with db.transaction() as session:
        note = await governance.add_note(session, escalation_id, data)
        await record_audit(session, user, "escalation.note_added", f"escalation:{escalation_id}", {"note_id": note["id"]})
        return note


async def add_theme(db: Database, user: Principal, name: str) -> dict:
    async with db.transaction() as session:
        theme = await themes.add_theme(session, name)
        await record_audit(session, user, "theme.added", f"theme:{theme['name']}")
        return theme


async def retire_theme(db: Database, user: Principal, name: str) -> dict:
    async with db.transaction() as session:
        theme = await themes.retire_theme(session, name)
        await record_audit(session, user, "theme.retired", f"theme:{theme['name']}")
        return theme
