"""JSON routes about involvement roles and the time members give (thin: validate → use case).

Advertised roles can be read by anyone; everything else is for staff, and every staff change is
audited in the same transaction.
"""

from fastapi import APIRouter, Query
from fastapi.responses import Response

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from membership import audited, involvement, roles
from membership.role_schemas import (
    AssignmentCreate,
    AssignmentEnd,
    AssignmentPublic,
    ChatArrange,
    EntryCreate,
    EntryPublic,
    InterestCreate,
    InterestPublic,
    RoleCreate,
    RolePublic,
    StatementPublic,
)

router = APIRouter(tags=["involvement roles"])
MONTH = "A month as YYYY-MM, e.g. 2026-11."


@router.post("/roles", response_model=RolePublic, status_code=201)
async def advertise_role(data: RoleCreate, db: DbDep, user: StaffUser) -> dict:
    """Advertise an involvement role."""
    return await audited.advertise_role(db, user, data)


@router.get("/roles", response_model=list[RolePublic])
async def list_roles(
    db: DbDep, open_only: bool = Query(False, alias="open", description="Only roles still taking interest.")
) -> list[dict]:
    """Involvement roles, oldest first."""
    async with db.read() as session:
        return await roles.list_roles(session, open_only=open_only)


@router.get("/roles/{role_id}", response_model=RolePublic)
async def get_role(role_id: str, db: DbDep) -> dict:
    """One involvement role."""
    async with db.read() as session:
        return await roles.get_role(session, role_id)


@router.post("/roles/{role_id}/interests", response_model=InterestPublic, status_code=201)
async def express_interest(role_id: str, data: InterestCreate, db: DbDep, user: StaffUser) -> dict:
    """Note a member's interest in a role, with a short note if they like; there is no interview."""
    return await audited.note_interest(db, user, role_id, data)


@router.get("/roles/{role_id}/interests", response_model=list[InterestPublic])
async def list_interests(role_id: str, db: DbDep, user: StaffUser) -> list[dict]:
    """Members interested in a role, first come first."""
    async with db.read() as session:
        return await roles.list_interests(session, role_id)


@router.post("/interests/{interest_id}/chat", response_model=InterestPublic)
async def arrange_chat(interest_id: str, data: ChatArrange, db: DbDep, user: StaffUser) -> dict:
    """Arrange an informal chat with an interested member."""
    return await audited.arrange_chat(db, user, interest_id, data)


@router.post("/roles/{role_id}/assignments", response_model=AssignmentPublic, status_code=201)
async def assign(role_id: str, data: AssignmentCreate, db: DbDep, user: StaffUser) -> dict:
    """Give a member the role from a start date."""
    return await audited.assign_role(db, user, role_id, data)


@router.get("/roles/{role_id}/assignments", response_model=list[AssignmentPublic])
async def role_history(role_id: str, db: DbDep, user: StaffUser) -> list[dict]:
    """Who held the role when: every holding, past and present."""
    async with db.read() as session:
        return await roles.role_history(session, role_id)


@router.post("/assignments/{assignment_id}/end", response_model=AssignmentPublic)
async def end_assignment(assignment_id: str, data: AssignmentEnd, db: DbDep, user: StaffUser) -> dict:
    """End a member's holding of a role."""
    return await audited.end_assignment(db, user, assignment_id, data)


@router.get("/members/{member_id}/roles", response_model=list[AssignmentPublic])
async def member_roles(member_id: str, db: DbDep, user: StaffUser) -> list[dict]:
    """Every role a member has held or holds."""
    async with db.read() as session:
        return await roles.member_roles(session, member_id)


@router.post(
    "/members/{member_id}/involvement",
    response_model=EntryPublic,
    status_code=201,
    tags=["involvement record"],
)
async def record_time(member_id: str, data: EntryCreate, db: DbDep, user: StaffUser) -> dict:
    """Record time a member gave, such as preparation or travel."""
    return await audited.record_time(db, user, member_id, data)


@router.get("/members/{member_id}/involvement", response_model=list[EntryPublic], tags=["involvement record"])
async def member_involvement(
    member_id: str, db: DbDep, user: StaffUser, month: str | None = Query(None, description=MONTH)
) -> list[dict]:
    """A member's involvement record, oldest first; optionally one month."""
    async with db.read() as session:
        return await involvement.member_entries(session, member_id, month)


@router.get(
    "/members/{member_id}/statements/{month}", response_model=StatementPublic, tags=["involvement record"]
)
async def monthly_statement(member_id: str, month: str, db: DbDep, user: StaffUser) -> dict:
    """A member's statement of time given in one month (YYYY-MM), with pay due."""
    async with db.read() as session:
        return await involvement.monthly_statement(session, member_id, month)


@router.get(
    "/involvement/finance.csv",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}, "description": "One line per paid entry, then a total."}},
    tags=["involvement record"],
)
async def finance_export(db: DbDep, user: StaffUser, month: str = Query(description=MONTH)) -> Response:
    """Paid time in one month for the finance team, at each role's rate, as CSV."""
    async with db.read() as session:
        text = await involvement.finance_export(session, month)
    return Response(
        text,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="paid-time-{month}.csv"'},
    )
