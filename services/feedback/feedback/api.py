"""JSON routes of the feedback service (thin: validate → use case → response)."""

from fastapi import APIRouter, Request

from feedback import service
from feedback.schemas import EscalationCreate, EscalationPublic, FeedbackCreate, FeedbackPublic
from forum_shared.web import DbDep

router = APIRouter(tags=["feedback"])


@router.post("/feedback", response_model=FeedbackPublic, status_code=201)
async def receive_feedback(data: FeedbackCreate, db: DbDep) -> dict:
    """Record feedback (anonymous unless the person gives contact details)."""
    async with db.transaction() as session:
        return await service.receive_feedback(session, data)


@router.get("/feedback/{feedback_id}", response_model=FeedbackPublic)
async def get_feedback(feedback_id: str, db: DbDep) -> dict:
    """One piece of feedback."""
    async with db.read() as session:
        return await service.get_feedback(session, feedback_id)


@router.post("/feedback/{feedback_id}/escalations", response_model=EscalationPublic, status_code=201)
async def escalate(feedback_id: str, data: EscalationCreate, db: DbDep, request: Request) -> dict:
    """Escalate feedback to governors."""
    days = request.app.state.kit.settings.respond_within_working_days
    async with db.transaction() as session:
        return await service.escalate(session, feedback_id, data, days)


@router.get("/escalations", response_model=list[EscalationPublic])
async def list_escalations(db: DbDep) -> list[dict]:
    """Escalations, newest first."""
    async with db.read() as session:
        return await service.list_escalations(session)
