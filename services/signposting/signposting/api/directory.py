"""Staff keep the directory: organisations, locations, services, taxonomies, verification, history."""

from fastapi import APIRouter

from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting.deps import EditorDep
from signposting.domain import ListingKind
from signposting.hsds import Document
from signposting.schemas.directory import ChangePublic, ListingPublic
from signposting.schemas.hsds import (
    LocationCreate,
    LocationUpdate,
    OrganizationCreate,
    OrganizationUpdate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.schemas.public import HsdsObject, OrganizationPublic, ServicePublic, TaxonomyPublic
from signposting.schemas.services import ServiceCreate, ServiceUpdate
from signposting.service import listings, locations, needs, organizations, services

router = APIRouter(tags=["directory (staff)"])


@router.post("/organizations", response_model=OrganizationPublic, status_code=201, response_model_exclude_none=True)
async def add_organization(data: OrganizationCreate, db: DbDep, editor: EditorDep) -> Document:
    """Add an organisation to the directory."""
    return await organizations.add_organization(db, editor, data)


@router.patch("/organizations/{organization_id}", response_model=OrganizationPublic, response_model_exclude_none=True)
async def change_organization(organization_id: str, data: OrganizationUpdate, db: DbDep, editor: EditorDep) -> Document:
    """Change an organisation; only the fields given change."""
    return await organizations.change_organization(db, editor, organization_id, data)


@router.post("/organizations/{organization_id}/verify", response_model=ListingPublic)
async def verify_organization(organization_id: str, db: DbDep, editor: EditorDep) -> ListingPublic:
    """Record that staff checked the organisation's details with it today."""
    checked = await listings.mark_checked(db, editor, ListingKind.ORGANIZATION, organization_id)
    return ListingPublic.model_validate(checked)


@router.post("/locations", response_model=HsdsObject, status_code=201, response_model_exclude_none=True)
async def add_location(data: LocationCreate, db: DbDep, editor: EditorDep) -> Document:
    """Add a location (with its address and accessibility) where services are given."""
    return await locations.add_location(db, editor, data)


@router.get("/locations/{location_id}", response_model=HsdsObject, response_model_exclude_none=True)
async def get_location(location_id: str, db: DbDep, user: StaffUser) -> Document:
    """One location, with its addresses, accessibility and languages."""
    return await locations.location(db, location_id)


@router.patch("/locations/{location_id}", response_model=HsdsObject, response_model_exclude_none=True)
async def change_location(location_id: str, data: LocationUpdate, db: DbDep, editor: EditorDep) -> Document:
    """Change a location; only the fields given change, a list given replaces the list."""
    return await locations.change_location(db, editor, location_id, data)


@router.post("/services", response_model=ServicePublic, status_code=201, response_model_exclude_none=True)
async def add_service(data: ServiceCreate, db: DbDep, editor: EditorDep) -> Document:
    """Add a service with its needs, areas, schedules, contacts, languages, costs and locations."""
    return (await services.add_service(db, editor, data)).hsds


@router.patch("/services/{service_id}", response_model=ServicePublic, response_model_exclude_none=True)
async def change_service(service_id: str, data: ServiceUpdate, db: DbDep, editor: EditorDep) -> Document:
    """Change a service; only the fields given change, a list given replaces the list."""
    return (await services.change_service(db, editor, service_id, data)).hsds


@router.post("/services/{service_id}/verify", response_model=ListingPublic)
async def verify_service(service_id: str, db: DbDep, editor: EditorDep) -> ListingPublic:
    """Record that staff checked the service's listing with its provider today."""
    return ListingPublic.model_validate(await listings.mark_checked(db, editor, ListingKind.SERVICE, service_id))


@router.get("/stale-listings", response_model=list[ListingPublic])
async def stale_listings(db: DbDep, user: StaffUser) -> list[ListingPublic]:
    """Services and organisations not verified for 12 months: they may be out of date."""
    return [ListingPublic.model_validate(listing) for listing in await listings.stale_listings(db)]


@router.get("/history/{resource_id}", response_model=list[ChangePublic])
async def listing_history(resource_id: str, db: DbDep, user: StaffUser) -> list[ChangePublic]:
    """Every change to a service, organisation, location or term: who, when and what, oldest first."""
    return [ChangePublic.model_validate(change) for change in await listings.history(db, resource_id)]


@router.post("/taxonomies", response_model=TaxonomyPublic, status_code=201, response_model_exclude_none=True)
async def add_taxonomy(data: TaxonomyCreate, db: DbDep, editor: EditorDep) -> Document:
    """Add a taxonomy (a vocabulary of needs or kinds of service)."""
    return await needs.add_taxonomy(db, editor, data)


@router.post("/taxonomy_terms", response_model=TaxonomyPublic, status_code=201, response_model_exclude_none=True)
async def add_taxonomy_term(data: TaxonomyTermCreate, db: DbDep, editor: EditorDep) -> Document:
    """Add a taxonomy term: a need, or a kind of service."""
    return await needs.add_taxonomy_term(db, editor, data)
