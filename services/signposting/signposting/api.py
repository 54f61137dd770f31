"""JSON routes of the signposting service."""

from fastapi import APIRouter

from forum_shared.web import DbDep
from signposting import service
from signposting.schemas import CommunityGroupCreate, CommunityGroupPublic

router = APIRouter(tags=["community groups"])


@router.post("/community-groups", response_model=CommunityGroupPublic, status_code=201)
async def register_community_group(data: CommunityGroupCreate, db: DbDep) -> dict:
    """Register a community group that can host pop-up forums."""
    async with db.transaction() as session:
        return await service.register_community_group(session, data)


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def find_community_groups(db: DbDep, area: str | None = None, search: str | None = None) -> list[dict]:
    """Community groups, optionally in an area or matching words."""
    async with db.read() as session:
        return await service.find_community_groups(session, area, search)
