"""JSON routes for the forum's reports."""

from fastapi import APIRouter

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from membership.schemas import DiversityPublic
from membership.service import reports

router = APIRouter(tags=["reports"])


@router.get("/reports/diversity", response_model=DiversityPublic)
async def diversity(db: DbDep, user: StaffUser) -> DiversityPublic:
    """How many members by area and by connection, with small counts hidden."""
    return DiversityPublic.model_validate(await reports.diversity(db))
