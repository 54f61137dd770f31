"""Staff reports as JSON and CSV."""


from fastapi import APIRouter, Depends
from fastapi.responses import Response

from feedback.deps import RulesDep, TodayDep
from feedback.schemas import ReportPublic
from feedback.service import reports
from forum_shared.dates import Day
from forum_shared.ui import require_role
from forum_shared.web import DbDep

router = APIRouter(prefix="/reports", tags=["reports"], dependencies=[Depends(require_role("staff", "admin"))])


@router.get("/summary", response_model=ReportPublic)
async def summary(
    db: DbDep, rules: RulesDep, today: TodayDep, since: Day | None = None, until: Day | None = None
) -> ReportPublic:
    """Feedback counts by theme, area, source and month; escalations open, overdue, resolved."""
    return ReportPublic.model_validate(await reports.summary(db, rules, today, since, until))


@router.get("/summary.csv", response_class=Response)
async def summary_csv(
    db: DbDep, rules: RulesDep, today: TodayDep, since: Day | None = None, until: Day | None = None
) -> Response:
    """The summary report as CSV."""
    report = await reports.summary(db, rules, today, since, until)
    return _csv(reports.summary_csv(report), "feedback-summary.csv")


@router.get("/feedback.csv", response_class=Response)
async def feedback_csv(db: DbDep, rules: RulesDep, since: Day | None = None, until: Day | None = None) -> Response:
    """Anonymised feedback as CSV: no contact details, member ids or criticality."""
    return _csv(await reports.feedback_csv(db, rules, since, until), "feedback-anonymised.csv")


def _csv(text: str, filename: str) -> Response:
    return Response(
        content=text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )
