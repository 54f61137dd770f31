"""JSON routes of the membership service."""

from fastapi import APIRouter

from forum_shared.web import DbDep
from membership import service
from membership.schemas import MemberCreate, MemberPublic

router = APIRouter(tags=["members"])


@router.post("/members", response_model=MemberPublic, status_code=201)
async def join(data: MemberCreate, db: DbDep) -> dict:
    """Join the forum: only a name is needed."""
    async with db.transaction() as session:
        return await service.join(session, data)


@router.get("/members", response_model=list[MemberPublic])
async def list_members(db: DbDep, area: str | None = None) -> list[dict]:
    """Members, oldest first; optionally in one area."""
    async with db.read() as session:
        return await service.list_members(session, area)
