"""Public “you said, we did” routes, and staff reports as JSON and CSV."""

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Query
from fastapi.responses import Response

from feedback import reports, responses
from feedback.deps import RulesDep, TodayDep
from feedback.escalation_schemas import ReportPublic, YouSaidWeDidPublic
from forum_shared.ui import require_role
from forum_shared.web import DbDep

public = APIRouter(tags=["you said, we did"])
staff_reports = APIRouter(
    prefix="/reports", tags=["reports"], dependencies=[Depends(require_role("staff", "admin"))]
)


@public.get("/public/you-said-we-did", response_model=list[YouSaidWeDidPublic])
async def you_said_we_did(
    db: DbDep, rules: RulesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Annotated[int, Query(ge=0)] = 0,
) -> list[dict]:
    """What people said and what was done, newest first; no personal data."""
    async with db.read() as session:
        return await responses.published(session, rules, limit=limit, offset=offset)


@public.get("/public/you-said-we-did/{response_id}", response_model=YouSaidWeDidPublic)
async def you_said_we_did_one(response_id: str, db: DbDep, rules: RulesDep) -> dict:
    """One published response; no personal data."""
    async with db.read() as session:
        return await responses.published_one(session, response_id, rules)


@staff_reports.get("/summary", response_model=ReportPublic)
async def summary(
    db: DbDep, rules: RulesDep, today: TodayDep, since: date | None = None, until: date | None = None
) -> dict:
    """Feedback counts by theme, area, source and month; escalations open, overdue, resolved."""
    async with db.read() as session:
        return await reports.summary(session, rules, today, since, until)


@staff_reports.get("/summary.csv", response_class=Response)
async def summary_csv(
    db: DbDep, rules: RulesDep, today: TodayDep, since: date | None = None, until: date | None = None
) -> Response:
    """The summary report as CSV."""
    async with db.read() as session:
        report = await reports.summary(session, rules, today, since, until)
    return _csv(reports.summary_csv(report), "feedback-summary.csv")


@staff_reports.get("/feedback.csv", response_class=Response)
async def feedback_csv(db: DbDep, rules: RulesDep, since: date | None = None, until: date | None = None) -> Response:
    """Anonymised feedback as CSV: no contact details, member ids or criticality."""
    async with db.read() as session:
        text = await reports.feedback_csv(session, rules, since, until)
    return _csv(text, "feedback-anonymised.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
