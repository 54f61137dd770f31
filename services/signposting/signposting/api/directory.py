"""Staff keep the directory: organisations, locations, services, taxonomies, verification, history."""

from fastapi import APIRouter
from sqlalchemy import select

from forum_shared.errors import Conflict, NotFound
from forum_shared.audit import record_audit
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting import directory, history, hsds, verification
from signposting.api.deps import EditorDep
from signposting.forum_schemas import HistoryEntry, HsdsObject, Listing, OrganizationPublic, ServicePublic, TaxonomyPublic
from signposting.schemas import (
    LocationCreate,
    LocationUpdate,
    OrganizationCreate,
    OrganizationUpdate,
    ServiceCreate,
    ServiceUpdate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.store import locations, organizations, services, taxonomies, taxonomy_terms

router = APIRouter(tags=["directory (staff)"])


async def _new(session, table, given_id, what: str) -> None:
    if given_id is not None and await session.scalar(select(table.c.id).where(table.c.id == str(given_id))):
        raise Conflict(f"There is already {what} with id {given_id}: change it with PATCH instead.")


async def _service(session, service_id: str) -> dict:
    return (await hsds.services_full(session, [service_id]))[0]


@router.post("/organizations", response_model=OrganizationPublic, status_code=201, response_model_exclude_none=True)
async def add_organization(data: OrganizationCreate, db: DbDep, editor: EditorDep) -> dict:
    """Add an organisation to the directory."""
    async with db.transaction() as session:
        await _new(session, organizations, data.id, "an organisation")
        org_id = await directory.save_organization(session, data, editor.name)
        await record_audit(session, editor.user, "directory.organization_added", f"organization:{org_id}")
        return await hsds.organization_full(session, org_id, [])


@router.patch("/organizations/{organization_id}", response_model=OrganizationPublic, response_model_exclude_none=True)
async def change_organization(organization_id: str, data: OrganizationUpdate, db: DbDep, editor: EditorDep) -> dict:
    """Change an organisation; only the fields given change."""
    async with db.transaction() as session:
        await directory.update_organization(session, organization_id, data, editor.name)
        await record_audit(session, editor.user, "directory.organization_changed", f"organization:{organization_id}",
                           {"fields": sorted(data.model_fields_set)})
        return await hsds.organization_full(session, organization_id, [])


@router.post("/organizations/{organization_id}/verify", response_model=Listing)
async def verify_organization(organization_id: str, db: DbDep, editor: EditorDep) -> dict:
    """Record that staff checked the organisation's details with it today."""
    async with db.transaction() as session:
        checked = await verification.verify_organization(session, organization_id, editor.name)
        await record_audit(session, editor.user, "directory.listing_checked", f"organization:{organization_id}")
        return checked


@router.post("/locations", response_model=HsdsObject, status_code=201, response_model_exclude_none=True)
async def add_location(data: LocationCreate, db: DbDep, editor: EditorDep) -> dict:
    """Add a location (with its address and accessibility) where services are given."""
    async with db.transaction() as session:
        await _new(session, locations, data.id, "a location")
        loc_id = await directory.save_location(session, data, editor.name)
        await record_audit(session, editor.user, "directory.location_added", f"location:{loc_id}")
        return (await hsds.locations_full(session, [loc_id]))[loc_id]


@router.get("/locations/{location_id}", response_model=HsdsObject, response_model_exclude_none=True)
async def get_location(location_id: str, db: DbDep, user: StaffUser) -> dict:
    """One location, with its addresses, accessibility and languages."""
    async with db.read() as session:
        found = await hsds.locations_full(session, [location_id])
    if location_id not in found:
        raise NotFound(f"There is no location with id {location_id} in the directory.")
    return found[location_id]


@router.patch("/locations/{location_id}", response_model=HsdsObject, response_model_exclude_none=True)
async def change_location(location_id: str, data: LocationUpdate, db: DbDep, editor: EditorDep) -> dict:
    """Change a location; only the fields given change, a list given replaces the list."""
    async with db.transaction() as session:
        await directory.update_location(session, location_id, data, editor.name)
        await record_audit(session, editor.user, "directory.location_changed", f"location:{location_id}",
                           {"fields": sorted(data.model_fields_set)})
        return (await hsds.locations_full(session, [location_id]))[location_id]


@router.post("/services", response_model=ServicePublic, status_code=201, response_model_exclude_none=True)
async def add_service(data: ServiceCreate, db: DbDep, editor: EditorDep) -> dict:
    """Add a service with its needs, areas, schedules, contacts, languages, costs and locations."""
    async with db.transaction() as session:
        await _new(session, services, data.id, "a service")
        service_id = await directory.save_service(session, data, editor.name)
        await record_audit(session, editor.user, "directory.service_added", f"service:{service_id}")
        return await _service(session, service_id)


@router.patch("/services/{service_id}", response_model=ServicePublic, response_model_exclude_none=True)
async def change_service(service_id: str, data: ServiceUpdate, db: DbDep, editor: EditorDep) -> dict:
    """Change a service; only the fields given change, a list given replaces the list."""
    async with db.transaction() as session:
        await directory.update_service(session, service_id, data, editor.name)
        await record_audit(session, editor.user, "directory.service_changed", f"service:{service_id}",
                           {"fields": sorted(data.model_fields_set)})
        return await _service(session, service_id)


@router.post("/services/{service_id}/verify", response_model=Listing)
async def verify_service(service_id: str, db: DbDep, editor: EditorDep) -> dict:
    """Record that staff checked the service's listing with its provider today."""
    async with db.transaction() as session:
        checked = await verification.verify_service(session, service_id, editor.name)
        await record_audit(session, editor.user, "directory.listing_checked", f"service:{service_id}")
        return checked


@router.get("/stale-listings", response_model=list[Listing])
async def stale_listings(db: DbDep, user: StaffUser) -> list[dict]:
    """Services and organisations not verified for 12 months: they may be out of date."""
    async with db.read() as session:
        return await verification.stale_listings(session)


@router.get("/history/{resource_id}", response_model=list[HistoryEntry])
async def listing_history(resource_id: str, db: DbDep, user: StaffUser) -> list[dict]:
    """Every change to a service, organisation, location or term: who, when and what, oldest first."""
    async with db.read() as session:
        return await history.history_of(session, resource_id)


@router.post("/taxonomies", response_model=TaxonomyPublic, status_code=201, response_model_exclude_none=True)
async def add_taxonomy(data: TaxonomyCreate, db: DbDep, editor: EditorDep) -> dict:
    """Add a taxonomy (a vocabulary of needs or kinds of service)."""
    async with db.transaction() as session:
        await _new(session, taxonomies, data.id, "a taxonomy")
        taxonomy_id = await directory.save_taxonomy(session, data, editor.name)
        await record_audit(session, editor.user, "directory.taxonomy_added", f"taxonomy:{taxonomy_id}")
        return (await hsds.taxonomies_of(session, [taxonomy_id]))[0]


@router.post("/taxonomy_terms", response_model=TaxonomyPublic, status_code=201, response_model_exclude_none=True)
async def add_taxonomy_term(data: TaxonomyTermCreate, db: DbDep, editor: EditorDep) -> dict:
    """Add a taxonomy term: a need, or a kind of service."""
    async with db.transaction() as session:
        await _new(session, taxonomy_terms, data.id, "a taxonomy term")
        term_id = await directory.save_taxonomy_term(session, data, editor.name)
        await record_audit(session, editor.user, "directory.need_added", f"taxonomy_term:{term_id}")
        return (await hsds.terms_of(session, [term_id]))[0]
