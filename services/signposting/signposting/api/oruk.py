"""The Open Referral UK API: open to anyone, no key, `Access-Control-Allow-Origin: *`."""

from datetime import UTC, datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request
from starlette.responses import Response
from sqlalchemy import func, or_, select

from forum_shared.errors import NotFound
from forum_shared.ui import wants_html
from forum_shared.web import DbDep
from signposting import domain, hsds, signposts
from signposting.api.deps import MaybeStaff
from signposting.pages import public
from signposting.forum_schemas import ApiInfo, OrganizationPublic, Page, ServicePublic, TaxonomyPublic, page
from signposting.search import ServiceQuery, find_services
from signposting.store import organizations, services, taxonomies, taxonomy_terms

router = APIRouter(tags=["Open Referral UK"])

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"
PageNumber = Annotated[int, Query(ge=1, le=100_000, description="Page number, from 1.")]
PerPage = Annotated[int, Query(ge=1, le=100, description="Results per page: 20 unless given, at most 100.")]


@router.get("/", response_model=ApiInfo)
async def api_info(request: Request) -> dict | Response:
    """Which HSDS version and profile this API speaks, and where its OpenAPI document is.

    A browser asking for a page gets the service's start page instead; programs get this JSON.
    """
    if wants_html(request):
        return await public.start_page(request)
    base = request.app.state.kit.settings.public_url or str(request.base_url)
    return {"version": HSDS_VERSION, "profile": PROFILE, "openapi_url": base.rstrip("/") + request.app.openapi_url}


@router.get("/services", response_model=Page[ServicePublic], response_model_exclude_none=True)
async def list_services(
    db: DbDep,
    staff: MaybeStaff,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000, description="Page number, from 1.")] = 1,
    per_page: PerPage = 20,
    search: Annotated[str | None, Query(max_length=200, description="Words to look for.")] = None,
    taxonomy_term_id: Annotated[str | None, Query(max_length=2000, description="Need(s): term id, or ids separated by commas.")] = None,
    taxonomy_id: Annotated[str | None, Query(max_length=64)] = None,
    organization_id: Annotated[str | None, Query(max_length=64)] = None,
    postcode: Annotated[str | None, Query(max_length=10, description="A postcode or postcode district, e.g. PE1 or CB4 1AA.")] = None,
    proximity: Annotated[float | None, Query(gt=0, le=200_000, description="Metres from the postcode's centre.")] = None,
    area: Annotated[str | None, Query(max_length=100, description="A district, town or postcode district.")] = None,
    day: Annotated[str | None, Query(max_length=20, description="Open on a day: MO…SU, a day name or a date.")] = None,
    start_time: Annotated[str | None, Query(pattern=r"^\d{2}:\d{2}(:\d{2})?$", description="Opens at or after (HH:MM).")] = None,
    end_time: Annotated[str | None, Query(pattern=r"^\d{2}:\d{2}(:\d{2})?$", description="Closes at or before (HH:MM).")] = None,
    language: Annotated[str | None, Query(max_length=50, description="A language name or code, e.g. Polish or pl.")] = None,
    accessibility: Annotated[str | None, Query(max_length=100, description="Words about access, e.g. wheelchair.")] = None,
    minimum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    maximum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    modified_after: Annotated[datetime | None, Query(description="Changed on or after this time (ISO 8601).")] = None,
    status: Annotated[str | None, Query(pattern="^(active|inactive|defunct|temporarily closed)$")] = None,
) -> dict:
    """Services, by words, need, postcode and proximity, area, day, language or accessibility."""
    if modified_after is not None and modified_after.tzinfo is None:
        modified_after = modified_after.replace(tzinfo=UTC)
    q = ServiceQuery(
        search=search,
        taxonomy_term_ids=[t.strip() for t in (taxonomy_term_id or "").split(",") if t.strip()],
        taxonomy_id=taxonomy_id, organization_id=organization_id, postcode=postcode, proximity=proximity,
        area=area, day=day, start_time=start_time, end_time=end_time, language=language,
        accessibility=accessibility, minimum_age=minimum_age, maximum_age=maximum_age,
        modified_after=modified_after, status=status, page=page_number, per_page=per_page,
    )
    async with db.read() as session:
        found = await find_services(session, q)
        items = await hsds.services_brief(session, found.ids)
    for item in items:
        if item["id"] in found.distances:
            item["distance"] = round(found.distances[item["id"]])
    # Only staff searches count as unmet need: anyone can search the open API as often as they
    # like, so counting theirs would let anyone inflate the report the forum acts on.
    if staff is not None and found.total == 0 and q.page == 1 and q.about_a_need:
        async with db.transaction() as session:
            await signposts.record_unmet_search(session, q)
    return page(items, found.total, page_number, per_page)


@router.get("/services/{service_id}", response_model=ServicePublic, response_model_exclude_none=True)
async def get_service(service_id: str, db: DbDep) -> dict:
    """One service, fully nested: organisation, locations, schedules, contacts, areas, needs."""
    async with db.read() as session:
        found = await hsds.services_full(session, [service_id])
    if not found:
        raise NotFound(f"There is no service with id {service_id} in the directory.")
    return found[0]


@router.get("/organizations", response_model=Page[OrganizationPublic], response_model_exclude_none=True)
async def list_organizations(
    db: DbDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    per_page: PerPage = 20,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    """Organisations that run services or host the forum's pop-up forums."""
    conds = [
        or_(func.lower(organizations.c.name).like(f"%{w}%"), func.lower(func.coalesce(organizations.c.description, "")).like(f"%{w}%"))
        for w in domain.words_of(search or "")
    ]
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(organizations).where(*conds))
        ids = (await session.execute(
            select(organizations.c.id).where(*conds).order_by(organizations.c.name, organizations.c.id)
            .offset((page_number - 1) * per_page).limit(per_page)
        )).scalars().all()
        found = await hsds.organizations_brief(session, ids)
    return page([found[i] for i in ids], total, page_number, per_page)


@router.get("/organizations/{organization_id}", response_model=OrganizationPublic, response_model_exclude_none=True)
async def get_organization(organization_id: str, db: DbDep) -> dict:
    """One organisation with its services."""
    async with db.read() as session:
        service_ids = (await session.execute(
            select(services.c.id).where(services.c.organization_id == organization_id).order_by(services.c.name)
        )).scalars().all()
        found = await hsds.organization_full(session, organization_id, service_ids)
    if found is None:
        raise NotFound(f"There is no organisation with id {organization_id} in the directory.")
    return found


@router.get("/taxonomies", response_model=Page[TaxonomyPublic], response_model_exclude_none=True)
async def list_taxonomies(db: DbDep, page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1, per_page: PerPage = 20) -> dict:
    """Taxonomies: the vocabularies needs and kinds of service are described with."""
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(taxonomies))
        ids = (await session.execute(
            select(taxonomies.c.id).order_by(taxonomies.c.name, taxonomies.c.id).offset((page_number - 1) * per_page).limit(per_page)
        )).scalars().all()
        items = await hsds.taxonomies_of(session, ids)
    return page(items, total, page_number, per_page)


@router.get("/taxonomies/{taxonomy_id}", response_model=TaxonomyPublic, response_model_exclude_none=True)
async def get_taxonomy(taxonomy_id: str, db: DbDep) -> dict:
    """One taxonomy."""
    async with db.read() as session:
        found = await hsds.taxonomies_of(session, [taxonomy_id])
    if not found:
        raise NotFound(f"There is no taxonomy with id {taxonomy_id}.")
    return found[0]


@router.get("/taxonomy_terms", response_model=Page[TaxonomyPublic], response_model_exclude_none=True)
async def list_taxonomy_terms(
    db: DbDep,
    page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1,
    per_page: PerPage = 20,
    taxonomy_id: Annotated[str | None, Query(max_length=64)] = None,
    parent_id: Annotated[str | None, Query(max_length=64)] = None,
    top_only: bool = False,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> dict:
    """Taxonomy terms: the needs services meet, and kinds of service."""
    conds = [func.lower(taxonomy_terms.c.name).like(f"%{w}%") for w in domain.words_of(search or "")]
    if taxonomy_id:
        conds.append(taxonomy_terms.c.taxonomy_id == taxonomy_id)
    if parent_id:
        conds.append(taxonomy_terms.c.parent_id == parent_id)
    if top_only:
        conds.append(taxonomy_terms.c.parent_id.is_(None))
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(taxonomy_terms).where(*conds))
        ids = (await session.execute(
            select(taxonomy_terms.c.id).where(*conds).order_by(taxonomy_terms.c.name, taxonomy_terms.c.id)
            .offset((page_number - 1) * per_page).limit(per_page)
        )).scalars().all()
        items = await hsds.terms_of(session, ids)
    return page(items, total, page_number, per_page)


@router.get("/taxonomy_terms/{term_id}", response_model=TaxonomyPublic, response_model_exclude_none=True)
async def get_taxonomy_term(term_id: str, db: DbDep) -> dict:
    """One taxonomy term."""
    async with db.read() as session:
        found = await hsds.terms_of(session, [term_id])
    if not found:
        raise NotFound(f"There is no taxonomy term with id {term_id}.")
    return found[0]
