"""JSON routes about the time members give: recorded by staff, a member's record and monthly
statement, and the finance team's export of paid time."""

from typing import Annotated

from fastapi import APIRouter, Query
from fastapi.responses import Response

from forum_shared.dates import Month
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from membership.schemas import EntryCreate, EntryPublic, StatementPublic
from membership.service import finance, involvement

router = APIRouter(tags=["involvement record"])


@router.post("/members/{member_id}/involvement", response_model=EntryPublic, status_code=201)
async def record_time(member_id: str, data: EntryCreate, db: DbDep, user: StaffUser) -> EntryPublic:
    """Record time a member gave, such as preparation or travel."""
    return EntryPublic.model_validate(await involvement.record_time(db, user, member_id, data))


@router.get("/members/{member_id}/involvement", response_model=list[EntryPublic])
async def member_involvement(
    member_id: str, db: DbDep, user: StaffUser, month: Annotated[Month | None, Query()] = None
) -> list[EntryPublic]:
    """A member's involvement record, oldest first; optionally one month."""
    return [EntryPublic.model_validate(e) for e in await involvement.member_entries(db, member_id, month)]


@router.get("/members/{member_id}/statements/{month}", response_model=StatementPublic)
async def monthly_statement(member_id: str, month: Month, db: DbDep, user: StaffUser) -> StatementPublic:
    """A member's statement of time given in one month (YYYY-MM), with pay due."""
    return StatementPublic.model_validate(await involvement.monthly_statement(db, member_id, month))


@router.get(
    "/involvement/finance.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One line per paid entry, then a total."}},
)
async def finance_export(db: DbDep, user: StaffUser, month: Annotated[Month, Query()]) -> Response:
    """Paid time in one month for the finance team, at each role's rate, as CSV."""
    return Response(
        await finance.finance_export(db, month),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="paid-time-{month}.csv"'},
    )
