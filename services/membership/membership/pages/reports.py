"""Staff page for the forum's diversity counts (small counts are hidden by the report itself)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import Response

from forum_shared.ui import StaffUser, render
from forum_shared.web import DbDep
from membership.service import reports

router = APIRouter(include_in_schema=False)


@router.get("/staff/reports")
async def reports_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return render(request, "membership/reports.html", report=await reports.diversity(db))
