"""JSON routes for feedback and the theme list (thin: validate → use case → response). Giving
feedback and reading the theme list are open to anyone; staff routes need a staff sign-in or API
token; partner organisations' programs send feedback with an API token of the "partner" role."""

from typing import Annotated

from fastapi import APIRouter, Depends, Query

from feedback import audited, service, themes
from feedback.deps import RulesDep
from feedback.domain import FeedbackStatus
from feedback.escalation_schemas import EscalationCreate, EscalationPublic, ResponseCreate, ResponsePublic
from feedback.schemas import (
    FeedbackCreate,
    FeedbackPublic,
    FeedbackTriage,
    PartnerFeedbackCreate,
    ThemeCreate,
    ThemePublic,
    ViewsCreate,
)
from forum_shared.ui import Principal, StaffUser, rate_limit, require_role
from forum_shared.web import DbDep

router = APIRouter(tags=["feedback"])


@router.post(
    "/feedback",
    response_model=FeedbackPublic,
    status_code=201,
    dependencies=[Depends(rate_limit("public_form"))],  # as the page is
)
async def receive_feedback(data: FeedbackCreate, db: DbDep, rules: RulesDep) -> dict:
    """Record feedback (anonymous unless the person gives contact details)."""
    async with db.transaction() as session:
        return await service.receive_feedback(session, data, rules)


@router.post("/pop-up-forums/{pop_up_id}/feedback", response_model=list[FeedbackPublic], status_code=201)
async def receive_pop_up_views(
    pop_up_id: str, data: ViewsCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> list[dict]:
    """Record the views staff heard at a pop-up forum, linked to it and its host group."""
    return await audited.receive_views(db, user, data, rules, pop_up_id=pop_up_id)


@router.post("/meetings/{meeting_id}/feedback", response_model=list[FeedbackPublic], status_code=201)
async def receive_meeting_views(
    meeting_id: str, data: ViewsCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> list[dict]:
    """Record the views staff heard at a forum meeting, linked to it."""
    return await audited.receive_views(db, user, data, rules, meeting_id=meeting_id)


@router.post("/partner/feedback", response_model=FeedbackPublic, status_code=201)
async def receive_partner_feedback(
    data: PartnerFeedbackCreate,
    db: DbDep,
    rules: RulesDep,
    partner: Annotated[Principal, Depends(require_role("partner"))],
) -> dict:
    """Record feedback sent by a partner organisation's program (an API token of the "partner"
    role, made by an administrator at /admin/tokens)."""
    async with db.transaction() as session:
        return await service.receive_from_partner(session, data, partner, rules)


@router.get("/feedback", response_model=list[FeedbackPublic])
async def list_feedback(
    db: DbDep,
    user: StaffUser,
    status: FeedbackStatus | None = None,
    theme: str | None = None,
    area: str | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    """Feedback for staff, newest first."""
    async with db.read() as session:
        return await service.list_feedback(session, status=status, theme=theme, area=area, limit=limit, offset=offset)


@router.get("/feedback/{feedback_id}", response_model=FeedbackPublic)
async def get_feedback(feedback_id: str, db: DbDep, user: StaffUser) -> dict:
    """One piece of feedback."""
    async with db.read() as session:
        return await service.get_feedback(session, feedback_id)


@router.post("/feedback/{feedback_id}/triage", response_model=FeedbackPublic)
async def triage(feedback_id: str, data: FeedbackTriage, db: DbDep, rules: RulesDep, user: StaffUser) -> dict:
    """Triage feedback: themes, tags, area and a staff-only criticality."""
    return await audited.triage(db, user, feedback_id, data, rules)


@router.post("/feedback/{feedback_id}/close", response_model=FeedbackPublic)
async def close(feedback_id: str, db: DbDep, user: StaffUser) -> dict:
    """Close feedback that needs nothing more."""
    return await audited.close(db, user, feedback_id)


@router.post("/feedback/{feedback_id}/escalations", response_model=EscalationPublic, status_code=201)
async def escalate(
    feedback_id: str, data: EscalationCreate, db: DbDep, rules: RulesDep, user: StaffUser
) -> dict:
    """Escalate feedback to governors."""
    return await audited.escalate(db, user, [feedback_id], data, rules)


@router.post("/feedback/{feedback_id}/responses", response_model=ResponsePublic, status_code=201)
async def respond(feedback_id: str, data: ResponseCreate, db: DbDep, user: StaffUser) -> dict:
    """Publish a “you said, we did” response to feedback."""
    return await audited.respond_to_feedback(db, user, feedback_id, data)


@router.get("/themes", response_model=list[ThemePublic], tags=["themes"])
async def list_themes(db: DbDep, include_retired: bool = False) -> list[dict]:
    """The managed theme list."""
    async with db.read() as session:
        return await themes.list_themes(session, include_retired)


@router.post("/themes", response_model=ThemePublic, status_code=201, tags=["themes"])
async def add_theme(data: ThemeCreate, db: DbDep, user: StaffUser) -> dict:
    """Add a theme to the managed list."""
    return await audited.add_theme(db, user, data.name)


@router.delete("/themes/{name}", response_model=ThemePublic, tags=["themes"])
async def retire_theme(name: str, db: DbDep, user: StaffUser) -> dict:
    """Retire a theme from the managed list."""
    return await audited.retire_theme(db, user, name)
