"""Moving around the county: the areas, the one that has waited longest, and a yearly report."""

from fastapi import APIRouter

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.schemas.areas import AreaReportPublic, AreaSuggestionPublic
from meetings.service import rotation

router = APIRouter(tags=["areas"])


@router.get("/areas", response_model=list[str])
async def list_areas(settings: SettingsDep) -> list[str]:
    """The areas of the county the forum meeting moves around."""
    return settings.areas


@router.get("/areas/suggestion", response_model=AreaSuggestionPublic)
async def suggest_area(db: DbDep, settings: SettingsDep, user: StaffUser) -> AreaSuggestionPublic:
    """The area that has waited longest for a meeting, and when each last had one."""
    return AreaSuggestionPublic.model_validate(await rotation.area_suggestion(db, settings.areas))


@router.get("/reports/meetings-per-area", response_model=AreaReportPublic)
async def meetings_per_area(db: DbDep, settings: SettingsDep, user: StaffUser) -> AreaReportPublic:
    """How many meetings each area had over the last year."""
    return AreaReportPublic.model_validate(await rotation.area_report(db, settings.areas))
