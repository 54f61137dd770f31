"""JSON routes about involvement roles: advertised, interest noted without an interview, assigned
and ended. Advertised roles can be read by anyone."""

from fastapi import APIRouter, Query

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from membership.schemas import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentPublic,
    ChatArrange,
    InterestCreate,
    InterestPublic,
    RoleCreate,
    RolePublic,
)
from membership.service import holdings, interest, roles

router = APIRouter(tags=["involvement roles"])


@router.post("/roles", response_model=RolePublic, status_code=201)
async def advertise_role(data: RoleCreate, db: DbDep, user: StaffUser) -> RolePublic:
    """Advertise an involvement role."""
    return RolePublic.model_validate(await roles.advertise_role(db, user, data))


@router.get("/roles", response_model=list[RolePublic])
async def list_roles(
    db: DbDep, open_only: bool = Query(False, alias="open", description="Only roles still taking interest.")
) -> list[RolePublic]:
    """Involvement roles, oldest first."""
    return [RolePublic.model_validate(r) for r in await roles.list_roles(db, open_only=open_only)]


@router.get("/roles/{role_id}", response_model=RolePublic)
async def get_role(role_id: str, db: DbDep) -> RolePublic:
    """One involvement role."""
    return RolePublic.model_validate(await roles.get_role(db, role_id))


@router.post("/roles/{role_id}/interests", response_model=InterestPublic, status_code=201)
async def express_interest(role_id: str, data: InterestCreate, db: DbDep, user: StaffUser) -> InterestPublic:
    """Note a member's interest in a role, with a short note if they like; there is no interview."""
    return InterestPublic.model_validate(await interest.note_interest(db, user, role_id, data))


@router.get("/roles/{role_id}/interests", response_model=list[InterestPublic])
async def list_interests(role_id: str, db: DbDep, user: StaffUser) -> list[InterestPublic]:
    """Members interested in a role, first come first."""
    return [InterestPublic.model_validate(i) for i in await interest.interests_in_role(db, role_id)]


@router.post("/interests/{interest_id}/chat", response_model=InterestPublic)
async def arrange_chat(interest_id: str, data: ChatArrange, db: DbDep, user: StaffUser) -> InterestPublic:
    """Arrange an informal chat with an interested member."""
    return InterestPublic.model_validate(await interest.arrange_chat(db, user, interest_id, data))


@router.post("/roles/{role_id}/assignments", response_model=AssignmentPublic, status_code=201)
async def assign(role_id: str, data: AssignmentCreate, db: DbDep, user: StaffUser) -> AssignmentPublic:
    """Give a member the role from a start date."""
    return AssignmentPublic.model_validate(await holdings.assign_role(db, user, role_id, data))


@router.get("/roles/{role_id}/assignments", response_model=list[AssignmentPublic])
async def role_history(role_id: str, db: DbDep, user: StaffUser) -> list[AssignmentPublic]:
    """Who held the role when: every holding, past and present."""
    return [AssignmentPublic.model_validate(h) for h in await holdings.role_history(db, role_id)]


@router.post("/assignments/{assignment_id}/end", response_model=AssignmentPublic)
async def end_assignment(assignment_id: str, data: AssignmentEnd, db: DbDep, user: StaffUser) -> AssignmentPublic:
    """End a member's holding of a role."""
    return AssignmentPublic.model_validate(await holdings.end_holding(db, user, assignment_id, data))


@router.get("/members/{member_id}/roles", response_model=list[AssignmentPublic])
async def member_roles(member_id: str, db: DbDep, user: StaffUser) -> list[AssignmentPublic]:
    """Every role a member has held or holds."""
    return [AssignmentPublic.model_validate(h) for h in await holdings.member_roles(db, member_id)]
