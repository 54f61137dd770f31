"""JSON routes about members, partner organisations and diversity counts (thin: validate → use case)."""

from typing import Literal

from fastapi import APIRouter

from forum_shared.web import DbDep
from membership import domain, organisations, reports, service
from membership.schemas import (
    DiversityPublic,
    ErasurePublic,
    MemberChoicesPublic,
    MemberCreate,
    MemberPublic,
    MemberUpdate,
    OrganisationCreate,
    OrganisationPublic,
    RepresentativeCreate,
)

router = APIRouter(tags=["members"])


@router.post("/members", response_model=MemberPublic, status_code=201)
async def join(data: MemberCreate, db: DbDep) -> dict:
    """Join the forum: only a name is needed."""
    async with db.transaction() as session:
        return await service.join(session, data)


@router.get("/members", response_model=list[MemberPublic])
async def list_members(
    db: DbDep,
    area: str | None = None,
    connection: str | None = None,
    access_need: str | None = None,
    role_id: str | None = None,
    status: Literal["active", "left"] | None = None,
) -> list[dict]:
    """Members, oldest first; for staff to find people by area, connection, access need or role."""
    async with db.read() as session:
        return await service.list_members(
            session, area=area, connection=connection, access_need=access_need, role_id=role_id, status=status
        )


@router.get("/members/choices", response_model=MemberChoicesPublic)
async def member_choices() -> dict:
    """Suggestions to offer when joining; people may always use their own words instead."""
    return {
        "connections": list(domain.SUGGESTED_CONNECTIONS),
        "access_needs": list(domain.SUGGESTED_ACCESS_NEEDS),
        "areas": list(domain.SUGGESTED_AREAS),
        "preferred_channels": [c.value for c in domain.Channel],
        "consent_purposes": [{"purpose": p.value, "wording": w} for p, w in domain.CONSENT_WORDING.items()],
        "organisation_kinds": list(domain.SUGGESTED_ORGANISATION_KINDS),
    }


@router.get("/members/{member_id}", response_model=MemberPublic)
async def get_member(member_id: str, db: DbDep) -> dict:
    """One member's details, preferences and consents."""
    async with db.read() as session:
        return await service.get_member(session, member_id)


@router.patch("/members/{member_id}", response_model=MemberPublic)
async def update_member(member_id: str, data: MemberUpdate, db: DbDep) -> dict:
    """Change a member's details and preferences; only what is sent changes."""
    async with db.transaction() as session:
        return await service.update_member(session, member_id, data)


@router.post("/members/{member_id}/leave", response_model=MemberPublic)
async def leave(member_id: str, db: DbDep) -> dict:
    """Leave the forum; any roles held end today."""
    async with db.transaction() as session:
        return await service.leave(session, member_id)


@router.delete("/members/{member_id}", response_model=ErasurePublic)
async def erase(member_id: str, db: DbDep) -> dict:
    """Erase a member on request: their details are deleted here and every service forgets them."""
    async with db.transaction() as session:
        return await service.erase(session, member_id)


@router.post("/organisations", response_model=OrganisationPublic, status_code=201, tags=["organisations"])
async def register_organisation(data: OrganisationCreate, db: DbDep) -> dict:
    """Register a partner organisation."""
    async with db.transaction() as session:
        return await organisations.register_organisation(session, data)


@router.get("/organisations", response_model=list[OrganisationPublic], tags=["organisations"])
async def list_organisations(db: DbDep) -> list[dict]:
    """Partner organisations by name, with who represents them."""
    async with db.read() as session:
        return await organisations.list_organisations(session)


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic, tags=["organisations"])
async def get_organisation(organisation_id: str, db: DbDep) -> dict:
    """One partner organisation with its representatives."""
    async with db.read() as session:
        return await organisations.get_organisation(session, organisation_id)


@router.post(
    "/organisations/{organisation_id}/representatives",
    response_model=OrganisationPublic,
    tags=["organisations"],
)
async def add_representative(organisation_id: str, data: RepresentativeCreate, db: DbDep) -> dict:
    """Name a member as a representative of the organisation."""
    async with db.transaction() as session:
        return await organisations.add_representative(session, organisation_id, data)


@router.delete(
    "/organisations/{organisation_id}/representatives/{member_id}",
    response_model=OrganisationPublic,
    tags=["organisations"],
)
async def remove_representative(organisation_id: str, member_id: str, db: DbDep) -> dict:
    """A member no longer represents the organisation."""
    async with db.transaction() as session:
        return await organisations.remove_representative(session, organisation_id, member_id)


@router.get("/reports/diversity", response_model=DiversityPublic, tags=["reports"])
async def diversity(db: DbDep) -> dict:
    """How many members by area and by connection, with small counts hidden."""
    async with db.read() as session:
        return await reports.diversity(session)
