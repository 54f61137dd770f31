"""JSON routes about members, partner organisations and diversity counts (thin: validate → use case).

Joining and the suggestions offered when joining are public; everything else is for staff, and
every staff change is audited in the same transaction.
"""

from typing import Literal

from fastapi import APIRouter, Depends

from forum_shared.audit import record_audit
from forum_shared.ui import MaybeSignedIn, StaffUser, rate_limit
from forum_shared.web import DbDep
from membership import audited, domain, organisations, reports, service
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


@router.post(
    "/members",
    response_model=MemberPublic,
    status_code=201,
    dependencies=[Depends(rate_limit("public_form"))],  # as the page is
)
async def join(data: MemberCreate, db: DbDep, user: MaybeSignedIn) -> dict:
    """Join the forum: only a name is needed."""
    async with db.transaction() as session:
        member = await service.join(session, data)
        if user is not None:  # staff or a partner's program joining someone on their behalf
            await record_audit(session, user, "member.joined", f"member:{member['id']}")
        return member


@router.get("/members", response_model=list[MemberPublic])
async def list_members(
    db: DbDep,
    user: StaffUser,
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
async def get_member(member_id: str, db: DbDep, user: StaffUser) -> dict:
    """One member's details, preferences and consents."""
    async with db.read() as session:
        return await service.get_member(session, member_id)


@router.patch("/members/{member_id}", response_model=MemberPublic)
async def update_member(member_id: str, data: MemberUpdate, db: DbDep, user: StaffUser) -> dict:
    """Change a member's details and preferences; only what is sent changes."""
    return await audited.update_member(db, user, member_id, data)


@router.post("/members/{member_id}/leave", response_model=MemberPublic)
async def leave(member_id: str, db: DbDep, user: StaffUser) -> dict:
    """Leave the forum; any roles held end today."""
    return await audited.leave(db, user, member_id)


@router.delete("/members/{member_id}", response_model=ErasurePublic)
async def erase(member_id: str, db: DbDep, user: StaffUser) -> dict:
    """Erase a member on request: their details are deleted here and every service forgets them."""
    return await audited.erase(db, user, member_id)


@router.post("/organisations", response_model=OrganisationPublic, status_code=201, tags=["organisations"])
async def register_organisation(data: OrganisationCreate, db: DbDep, user: StaffUser) -> dict:
    """Register a partner organisation."""
    return await audited.register_organisation(db, user, data)


@router.get("/organisations", response_model=list[OrganisationPublic], tags=["organisations"])
async def list_organisations(db: DbDep, user: StaffUser) -> list[dict]:
    """Partner organisations by name, with who represents them."""
    async with db.read() as session:
        return await organisations.list_organisations(session)


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic, tags=["organisations"])
async def get_organisation(organisation_id: str, db: DbDep, user: StaffUser) -> dict:
    """One partner organisation with its representatives."""
    async with db.read() as session:
        return await organisations.get_organisation(session, organisation_id)


@router.post(
    "/organisations/{organisation_id}/representatives",
    response_model=OrganisationPublic,
    tags=["organisations"],
)
async def add_representative(
    organisation_id: str, data: RepresentativeCreate, db: DbDep, user: StaffUser
) -> dict:
    """Name a member as a representative of the organisation."""
    return await audited.add_representative(db, user, organisation_id, data)


@router.delete(
    "/organisations/{organisation_id}/representatives/{member_id}",
    response_model=OrganisationPublic,
    tags=["organisations"],
)
async def remove_representative(organisation_id: str, member_id: str, db: DbDep, user: StaffUser) -> dict:
    """A member no longer represents the organisation."""
    return await audited.remove_representative(db, user, organisation_id, member_id)


@router.get("/reports/diversity", response_model=DiversityPublic, tags=["reports"])
async def diversity(db: DbDep, user: StaffUser) -> dict:
    """How many members by area and by connection, with small counts hidden."""
    async with db.read() as session:
        return await reports.diversity(session)
