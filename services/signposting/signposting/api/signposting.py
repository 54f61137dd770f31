"""Signposting a person (anonymously), unmet need, and the report of need they reveal."""


from fastapi import APIRouter

from forum_shared.dates import Day
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting.schemas.signposting import (
    SignpostingCreate,
    SignpostingPublic,
    SignpostingReportPublic,
    UnmetSearchCreate,
    UnmetSearchPublic,
)
from signposting.service import reports, signposting, unmet_need

router = APIRouter(tags=["signposting"])


@router.post("/signpostings", response_model=SignpostingPublic, status_code=201)
async def record_signposting(data: SignpostingCreate, db: DbDep, user: StaffUser) -> SignpostingPublic:
    """Record that someone was signposted: area, needs and services suggested — nothing personal."""
    return SignpostingPublic.model_validate(await signposting.record_signposting(db, user, data))


@router.post("/unmet-searches", response_model=UnmetSearchPublic, status_code=201)
async def record_unmet_search(data: UnmetSearchCreate, db: DbDep, user: StaffUser) -> UnmetSearchPublic:
    """Record that a search for someone found nothing: unmet need, shown in the report.

    The search is made again here, over active services: one that finds something is refused
    (record a signposting instead). Searching itself (`GET /services`) never records anything.
    """
    return UnmetSearchPublic.model_validate(await unmet_need.record_unmet_search(db, user, data))


@router.get("/reports/signposting", response_model=SignpostingReportPublic)
async def signposting_report(
    db: DbDep, user: StaffUser, since: Day | None = None, until: Day | None = None
) -> SignpostingReportPublic:
    """Signposting by area and need, and the unmet need: signposting to nothing, searches that found nothing."""
    return SignpostingReportPublic.model_validate(await reports.signposting_report(db, since, until))
