"""Moving around the county: the areas, the one that has waited longest, and a yearly report."""

from fastapi import APIRouter

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.schemas import AreaReportPublic, AreaSuggestionPublic
from meetings.service import rotation

router = APIRouter(tags=["areas"])


@router.get("/areas", response_model=list[str])
async def list_areas(settings: SettingsDep) -> list[str]:
    """The areas of the county the forum meeting moves around."""
    return settings.areas


@router.get("/areas/suggestion", response_model=AreaSuggestionPublic)
async def suggest_area(db: DbDep, settings: SettingsDep, user: StaffUser) -> dict:
    """The area that has waited longest for a meeting, and when each last had one."""
    async with db.read() as session:
        return await rotation.area_suggestion(session, settings.areas)


@router.get("/reports/meetings-per-area", response_model=AreaReportPublic)
async def meetings_per_area(db: DbDep, settings: SettingsDep, user: StaffUser) -> dict:
    """How many meetings each area had over the last year."""
    async with db.read() as session:
        return await rotation.area_report(session, settings.areas)
