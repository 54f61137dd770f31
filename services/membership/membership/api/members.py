"""JSON routes about members: joining, finding, details, leaving and erasure."""

from fastapi import APIRouter, Depends
from fastapi.responses import JSONResponse

from forum_shared.audit import ANONYMOUS
from forum_shared.text import Line
from forum_shared.ui import MaybeSignedIn, StaffUser, rate_limit
from forum_shared.web import DbDep
from membership.domain import MemberStatus
from membership.schemas import (
    ErasurePublic,
    JoiningPublic,
    MemberChoicesPublic,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
)
from membership.service import joining, members

router = APIRouter(tags=["members"])


@router.post(
    "/members",
    response_model=MemberPublic,
    status_code=201,
    responses={202: {"model": JoiningPublic, "description": "Joined (for anyone but staff)."}},
    dependencies=[Depends(rate_limit("public_form"))],  # as the page is
)
async def join(data: MemberCreate, db: DbDep, user: MaybeSignedIn) -> MemberPublic | JSONResponse:
    """Join the forum: only a name is needed. Staff get the new member (or a 409 if the email is
    already a member's); anyone else gets the same 202 answer whether or not it was."""
    actor = user or ANONYMOUS
    member = await joining.join(db, actor, data)
    if member is not None and joining.told_who_is_a_member(actor):
        return MemberPublic.model_validate(member)
    return JSONResponse(JoiningPublic().model_dump(), status_code=202)


@router.get("/members", response_model=list[MemberPublic])
async def list_members(
    db: DbDep,
    user: StaffUser,
    area: Line | None = None,
    connection: Line | None = None,
    access_need: Line | None = None,
    role_id: Line | None = None,
    status: MemberStatus | None = None,
) -> list[MemberPublic]:
    """Members, oldest first; for staff to find people by area, connection, access need or role."""
    found = await members.find_members(
        db,
        area=area,
        connection=connection,
        access_need=access_need,
        role_id=role_id,
        status=status,
    )
    return [MemberPublic.model_validate(m) for m in found]


@router.get("/members/choices", response_model=MemberChoicesPublic)
async def member_choices() -> MemberChoicesPublic:
    """Suggestions to offer when joining; people may always use their own words instead."""
    return MemberChoicesPublic.offered()


@router.get("/members/{member_id}", response_model=MemberPublic)
async def get_member(member_id: str, db: DbDep, user: StaffUser) -> MemberPublic:
    """One member's details, preferences and consents."""
    return MemberPublic.model_validate(await members.get_member(db, member_id))


@router.patch("/members/{member_id}", response_model=MemberPublic)
async def update_member(member_id: str, data: MemberUpdate, db: DbDep, user: StaffUser) -> MemberPublic:
    """Change a member's details and preferences; only what is sent changes."""
    return MemberPublic.model_validate(await members.update_member(db, user, member_id, data))


@router.post("/members/{member_id}/leave", response_model=MemberPublic)
async def leave(member_id: str, db: DbDep, user: StaffUser) -> MemberPublic:
    """Leave the forum; any roles held end today."""
    return MemberPublic.model_validate(await members.leave(db, user, member_id))


@router.delete("/members/{member_id}", response_model=ErasurePublic)
async def erase(member_id: str, db: DbDep, user: StaffUser) -> ErasurePublic:
    """Erase a member on request: their details are deleted here and every service forgets them."""
    return ErasurePublic.model_validate(await members.erase(db, user, member_id))
