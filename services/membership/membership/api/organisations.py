"""JSON routes about partner organisations and the members who represent them."""

from fastapi import APIRouter

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from membership.schemas import OrganisationCreate, OrganisationPublic, RepresentativeCreate
from membership.service import organisations

router = APIRouter(tags=["organisations"])


@router.post("/organisations", response_model=OrganisationPublic, status_code=201)
async def register_organisation(data: OrganisationCreate, db: DbDep, user: StaffUser) -> OrganisationPublic:
    """Register a partner organisation."""
    return OrganisationPublic.model_validate(await organisations.register_organisation(db, user, data))


@router.get("/organisations", response_model=list[OrganisationPublic])
async def list_organisations(db: DbDep, user: StaffUser) -> list[OrganisationPublic]:
    """Partner organisations by name, with who represents them."""
    return [OrganisationPublic.model_validate(o) for o in await organisations.list_organisations(db)]


@router.get("/organisations/{organisation_id}", response_model=OrganisationPublic)
async def get_organisation(organisation_id: str, db: DbDep, user: StaffUser) -> OrganisationPublic:
    """One partner organisation with its representatives."""
    return OrganisationPublic.model_validate(await organisations.get_organisation(db, organisation_id))


@router.post("/organisations/{organisation_id}/representatives", response_model=OrganisationPublic)
async def add_representative(
    organisation_id: str, data: RepresentativeCreate, db: DbDep, user: StaffUser
) -> OrganisationPublic:
    """Name a member as a representative of the organisation."""
    organisation = await organisations.add_representative(db, user, organisation_id, data)
    return OrganisationPublic.model_validate(organisation)


@router.delete("/organisations/{organisation_id}/representatives/{member_id}", response_model=OrganisationPublic)
async def remove_representative(
    organisation_id: str, member_id: str, db: DbDep, user: StaffUser
) -> OrganisationPublic:
    """A member no longer represents the organisation."""
    organisation = await organisations.remove_representative(db, user, organisation_id, member_id)
    return OrganisationPublic.model_validate(organisation)
