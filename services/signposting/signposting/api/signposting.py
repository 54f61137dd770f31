"""Signposting a person (anonymously) and the report of need it reveals."""

from datetime import date

from fastapi import APIRouter

from forum_shared.audit import record_audit
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting import signposts
from signposting.forum_schemas import SignpostingCreate, SignpostingPublic, SignpostingReport

router = APIRouter(tags=["signposting"])


@router.post("/signpostings", response_model=SignpostingPublic, status_code=201)
async def record_signposting(data: SignpostingCreate, db: DbDep, user: StaffUser) -> dict:
    """Record that someone was signposted: area, needs and services suggested — nothing personal."""
    async with db.transaction() as session:
        record = await signposts.record_signposting(session, data)
        await record_audit(session, user, "signposting.recorded", f"signposting:{record['id']}")
        return record


@router.get("/reports/signposting", response_model=SignpostingReport)
async def signposting_report(db: DbDep, user: StaffUser, since: date | None = None, until: date | None = None) -> dict:
    """Signposting by area and need, and the unmet need: signposting to nothing, searches that found nothing."""
    async with db.read() as session:
        return await signposts.report(session, since, until)
