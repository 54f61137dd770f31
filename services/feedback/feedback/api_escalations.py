"""JSON routes for escalations: staff raise and answer them, governors acknowledge and add notes
(naming themselves until sign-in arrives)."""

from typing import Literal

from fastapi import APIRouter

from feedback import escalations, governance, responses
from feedback.deps import RulesDep, TodayDep
from feedback.escalation_schemas import (
    Acknowledgement,
    EscalationDetail,
    EscalationOfMany,
    EscalationPublic,
    FeedbackLink,
    NoteCreate,
    NotePublic,
    Resolution,
    ResponseCreate,
    ResponsePublic,
)
from forum_shared.web import DbDep

router = APIRouter(tags=["escalations"])

StatusFilter = Literal["open", "overdue", "raised", "acknowledged", "responded", "resolved"]


@router.get("/escalations", response_model=list[EscalationPublic])
async def list_escalations(db: DbDep, today: TodayDep, status: StatusFilter | None = None) -> list[dict]:
    """Escalations, newest first."""
    async with db.read() as session:
        return await escalations.list_escalations(session, today, status)


@router.post("/escalations", response_model=EscalationPublic, status_code=201)
async def escalate_many(data: EscalationOfMany, db: DbDep, rules: RulesDep) -> dict:
    """Escalate several pieces of feedback to governors as one issue."""
    async with db.transaction() as session:
        return await escalations.escalate_by_staff(session, data.feedback_ids, data, rules)


@router.get("/escalations/{escalation_id}", response_model=EscalationDetail)
async def get_escalation(escalation_id: str, db: DbDep, today: TodayDep) -> dict:
    """One escalation with its notes and responses."""
    async with db.read() as session:
        return await governance.escalation_detail(session, escalation_id, today)


@router.post("/escalations/{escalation_id}/feedback", response_model=EscalationPublic)
async def link_feedback(escalation_id: str, data: FeedbackLink, db: DbDep, today: TodayDep) -> dict:
    """Link more feedback to an escalation."""
    async with db.transaction() as session:
        await escalations.link_feedback(session, escalation_id, data.feedback_ids)
        return await escalations.escalation_view(session, escalation_id, today)


@router.post("/escalations/{escalation_id}/acknowledge", response_model=EscalationPublic)
async def acknowledge(escalation_id: str, data: Acknowledgement, db: DbDep, today: TodayDep) -> dict:
    """A governor acknowledges an escalation."""
    async with db.transaction() as session:
        return await governance.acknowledge(session, escalation_id, data, today)


@router.post("/escalations/{escalation_id}/notes", response_model=NotePublic, status_code=201)
async def add_note(escalation_id: str, data: NoteCreate, db: DbDep) -> dict:
    """A governor adds a note to an escalation."""
    async with db.transaction() as session:
        return await governance.add_note(session, escalation_id, data)


@router.post("/escalations/{escalation_id}/responses", response_model=ResponsePublic, status_code=201)
async def respond(escalation_id: str, data: ResponseCreate, db: DbDep) -> dict:
    """Publish a “you said, we did” response to an escalation."""
    async with db.transaction() as session:
        return await responses.respond_to_escalation(session, escalation_id, data)


@router.post("/escalations/{escalation_id}/resolve", response_model=EscalationPublic)
async def resolve(escalation_id: str, data: Resolution, db: DbDep, today: TodayDep) -> dict:
    """Resolve an escalation once it has its response."""
    async with db.transaction() as session:
        return await governance.resolve(session, escalation_id, data, today)
