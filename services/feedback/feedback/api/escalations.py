"""JSON routes for escalations: staff raise and answer them, governors acknowledge them and add
notes (signing with their name); anyone signed in with a role may read them, the notes for
governors included."""

from typing import Literal

from fastapi import APIRouter

from feedback.deps import RulesDep, TodayDep
from feedback.schemas import (
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
from feedback.service import escalation, governance, responses
from forum_shared.ui import GovernorUser, Principal, SignedIn, StaffUser
from forum_shared.web import DbDep

router = APIRouter(tags=["escalations"])

StatusFilter = Literal["open", "overdue", "raised", "acknowledged", "responded", "resolved"]


@router.get("/escalations", response_model=list[EscalationPublic])
async def list_escalations(
    db: DbDep, today: TodayDep, user: SignedIn, status: StatusFilter | None = None
) -> list[EscalationPublic]:
    """Escalations, newest first."""
    return [EscalationPublic.model_validate(e) for e in await escalation.list_escalations(db, today, status)]


@router.post("/escalations", response_model=EscalationPublic, status_code=201)
async def escalate_many(data: EscalationOfMany, db: DbDep, rules: RulesDep, user: StaffUser) -> EscalationPublic:
    """Escalate several pieces of feedback to governors as one issue."""
    return EscalationPublic.model_validate(await escalation.escalate_many(db, user, data, rules))


@router.get("/escalations/{escalation_id}", response_model=EscalationDetail)
async def get_escalation(escalation_id: str, db: DbDep, today: TodayDep, user: SignedIn) -> EscalationDetail:
    """One escalation with its notes and responses."""
    return EscalationDetail.model_validate(await governance.escalation_in_full(db, escalation_id, today))


@router.post("/escalations/{escalation_id}/feedback", response_model=EscalationPublic)
async def link_feedback(
    escalation_id: str, data: FeedbackLink, db: DbDep, today: TodayDep, user: StaffUser
) -> EscalationPublic:
    """Link more feedback to an escalation."""
    return EscalationPublic.model_validate(
        await escalation.link_feedback(db, user, escalation_id, data.feedback_ids, today)
    )


def signed_as(user: Principal, given: str | None) -> str | None:
    """A person signed in signs with their own name; a program (API token) names the person it
    acts for, and the audit log keeps which program it was."""
    return user.name if user.kind == "account" else given


@router.post("/escalations/{escalation_id}/acknowledge", response_model=EscalationPublic)
async def acknowledge(
    escalation_id: str, data: Acknowledgement, db: DbDep, today: TodayDep, user: GovernorUser
) -> EscalationPublic:
    """A governor acknowledges an escalation."""
    data = data.model_copy(update={"governor": signed_as(user, data.governor)})
    return EscalationPublic.model_validate(await governance.acknowledge(db, user, escalation_id, data, today))


@router.post("/escalations/{escalation_id}/notes", response_model=NotePublic, status_code=201)
async def add_note(escalation_id: str, data: NoteCreate, db: DbDep, user: GovernorUser) -> NotePublic:
    """A governor adds a note to an escalation."""
    data = data.model_copy(update={"governor": signed_as(user, data.governor)})
    return NotePublic.model_validate(await governance.add_note(db, user, escalation_id, data))


@router.post("/escalations/{escalation_id}/responses", response_model=ResponsePublic, status_code=201)
async def respond(escalation_id: str, data: ResponseCreate, db: DbDep, user: StaffUser) -> ResponsePublic:
    """Publish a “you said, we did” response to an escalation."""
    data = data.model_copy(update={"responded_by": signed_as(user, data.responded_by)})
    return ResponsePublic.model_validate(await responses.respond_to_escalation(db, user, escalation_id, data))


@router.post("/escalations/{escalation_id}/resolve", response_model=EscalationPublic)
async def resolve(
    escalation_id: str, data: Resolution, db: DbDep, today: TodayDep, user: StaffUser
) -> EscalationPublic:
    """Resolve an escalation once it has its response."""
    data = data.model_copy(update={"resolved_by": signed_as(user, data.resolved_by)})
    return EscalationPublic.model_validate(await governance.resolve(db, user, escalation_id, data, today))
