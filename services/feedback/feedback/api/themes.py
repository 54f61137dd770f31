"""JSON routes for the managed theme list: anyone may read it; staff add and retire themes."""

from fastapi import APIRouter

from feedback.schemas import ThemeCreate, ThemePublic
from feedback.service import themes
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep

router = APIRouter(tags=["themes"])


@router.get("/themes", response_model=list[ThemePublic])
async def list_themes(db: DbDep, include_retired: bool = False) -> list[ThemePublic]:
    """The managed theme list."""
    return [ThemePublic.model_validate(t) for t in await themes.list_themes(db, include_retired)]


@router.post("/themes", response_model=ThemePublic, status_code=201)
async def add_theme(data: ThemeCreate, db: DbDep, user: StaffUser) -> ThemePublic:
    """Add a theme to the managed list."""
    return ThemePublic.model_validate(await themes.add_theme(db, user, data.name))


@router.delete("/themes/{name}", response_model=ThemePublic)
async def retire_theme(name: str, db: DbDep, user: StaffUser) -> ThemePublic:
    """Retire a theme from the managed list."""
    return ThemePublic.model_validate(await themes.retire_theme(db, user, name))
