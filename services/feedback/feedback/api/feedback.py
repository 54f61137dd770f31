"""JSON routes for pieces of feedback (thin: validate → use case → response). Giving feedback is
open to anyone (staff and partners' programs who send it signed in may also record a community
group's view); staff routes need a staff sign-in or API token; partner organisations' programs
send feedback with an API token of the "partner" role."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from feedback.deps import RulesDep
from feedback.domain import FeedbackStatus
from feedback.schemas import (
    EscalationCreate,
    EscalationPublic,
    FeedbackCreate,
    FeedbackPublic,
    FeedbackRedaction,
    FeedbackTriage,
    PartnerFeedbackCreate,
    ResponseCreate,
    ResponsePublic,
    ViewsCreate,
)
from feedback.service import escalation, intake, redaction, responses, triage
from forum_shared.text import Line
from forum_shared.ui import MaybeSignedIn, Principal, StaffUser, rate_limit, require_role
from forum_shared.ui.pagination import Offset
from forum_shared.web import DbDep

router = APIRouter(tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackPublic,
    status_code=201,
    dependencies=[Depends(rate_limit("public_form"))],  # as the page is
)
async def receive_feedback(data: FeedbackCreate, db: DbDep, rules: RulesDep, user: MaybeSignedIn) -> FeedbackPublic:
    """Record feedback (anonymous unless the person gives contact details). Only staff and partners'
    programs may record a community group's view, of a group the directory lists."""
    return FeedbackPublic.model_validate(await intake.receive_feedback(db, user or "anonymous", data, rules))


@router.post("/pop-up-forums/{pop_up_id}/feedback", response_model=list[FeedbackPublic], status_code=201)
async def receive_pop_up_views(
    pop_up_id: str, data: ViewsCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> list[FeedbackPublic]:
    """Record the views staff heard at a pop-up forum, linked to it and its host group."""
    recorded = await intake.receive_views(db, user, data, rules, pop_up_id=pop_up_id)
    return [FeedbackPublic.model_validate(item) for item in recorded]


@router.post("/meetings/{meeting_id}/feedback", response_model=list[FeedbackPublic], status_code=201)
async def receive_meeting_views(
    meeting_id: str, data: ViewsCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> list[FeedbackPublic]:
    """Record the views staff heard at a forum meeting, linked to it."""
    recorded = await intake.receive_views(db, user, data, rules, meeting_id=meeting_id)
    return [FeedbackPublic.model_validate(item) for item in recorded]


@router.post("/partner/feedback", response_model=FeedbackPublic, status_code=201)
async def receive_partner_feedback(
    data: PartnerFeedbackCreate,
    db: DbDep,
    rules: RulesDep,
    partner: Annotated[Principal, Depends(require_role("partner"))],
) -> FeedbackPublic:
    """Record feedback sent by a partner organisation's program (an API token of the "partner"
    role, made by an administrator at /admin/tokens)."""
    return FeedbackPublic.model_validate(await intake.receive_from_partner(db, partner, data, rules))


@router.get("/feedback", response_model=list[FeedbackPublic])
async def list_feedback(
    db: DbDep,
    user: StaffUser,
    status: FeedbackStatus | None = None,
    theme: Annotated[Line | None, Query(max_length=100)] = None,
    area: Annotated[Line | None, Query(max_length=100)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Offset = 0,
) -> list[FeedbackPublic]:
    """Feedback for staff, newest first."""
    found = await triage.list_feedback(db, status=status, theme=theme, area=area, limit=limit, offset=offset)
    return [FeedbackPublic.model_validate(item) for item in found]


@router.get("/feedback/{feedback_id}", response_model=FeedbackPublic)
async def get_feedback(feedback_id: str, db: DbDep, user: StaffUser) -> FeedbackPublic:
    """One piece of feedback."""
    return FeedbackPublic.model_validate(await triage.get_feedback(db, feedback_id))


@router.post("/feedback/{feedback_id}/triage", response_model=FeedbackPublic)
async def triage_feedback(
    feedback_id: str, data: FeedbackTriage, db: DbDep, rules: RulesDep, user: StaffUser
) -> FeedbackPublic:
    """Triage feedback: themes, tags, area and a staff-only criticality."""
    return FeedbackPublic.model_validate(await triage.triage(db, user, feedback_id, data, rules))


@router.post("/feedback/{feedback_id}/redactions", response_model=FeedbackPublic)
async def redact(feedback_id: str, data: FeedbackRedaction, db: DbDep, user: StaffUser) -> FeedbackPublic:
    """Take words that identify someone out of the feedback: each becomes “[removed]”."""
    return FeedbackPublic.model_validate(await redaction.redact_feedback(db, user, feedback_id, data))


@router.post("/feedback/{feedback_id}/close", response_model=FeedbackPublic)
async def close(feedback_id: str, db: DbDep, user: StaffUser) -> FeedbackPublic:
    """Close feedback that needs nothing more."""
    return FeedbackPublic.model_validate(await triage.close(db, user, feedback_id))


@router.post("/feedback/{feedback_id}/escalations", response_model=EscalationPublic, status_code=201)
async def escalate(
    feedback_id: str, data: EscalationCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> EscalationPublic:
    """Escalate feedback to governors."""
    return EscalationPublic.model_validate(await escalation.escalate(db, user, [feedback_id], data, rules))


@router.post("/feedback/{feedback_id}/responses", response_model=ResponsePublic, status_code=201)
async def respond(feedback_id: str, data: ResponseCreate, db: DbDep, user: StaffUser) -> ResponsePublic:
    """Publish a “you said, we did” response to feedback."""
    return ResponsePublic.model_validate(await responses.respond_to_feedback(db, user, feedback_id, data))
