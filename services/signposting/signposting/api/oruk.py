"""The Open Referral UK API: open to anyone, no key, readable from any site (`cross_origin.py`).

Every route here only reads; it answers the same whoever asks."""

from datetime import UTC
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import Response

from forum_shared.dates import Moment
from forum_shared.errors import NotFound
from forum_shared.text import Line
from forum_shared.ui import wants_html
from forum_shared.web import DbDep
from signposting import domain
from signposting.domain import ServiceQuery, ServiceStatus
from signposting.hsds import HSDS_VERSION, PROFILE, Document
from signposting.pages import public
from signposting.records import DocumentsPage
from signposting.schemas.public import (
    MOST_PAGES,
    ApiInfoPublic,
    OrganizationPublic,
    Page,
    ServiceAtLocationPublic,
    ServicePublic,
    TaxonomyPublic,
    page,
)
from signposting.service import finding, needs, organizations, services

router = APIRouter(tags=["Open Referral UK"])

PageNumber = Annotated[
    int, Query(alias="page", ge=1, le=MOST_PAGES, description=f"Page number, from 1 to {MOST_PAGES:,}.")
]
PerPage = Annotated[int, Query(ge=1, le=100, description="Results per page: 20 unless given, at most 100.")]
# Patterns allow no control characters, so `postcode` and `day` need not be the kit's `Line`.
POSTCODE_PATTERN = r"^ *[A-Za-z]{1,2}[0-9][A-Za-z0-9]?( *[0-9][A-Za-z]{2})? *$"
CLOCK_PATTERN = r"^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$"
DAY_PATTERN = (
    "^(" + "|".join(f"{name}|{name.upper()}|{name.title()}" for name in domain.day_names())
    + r"|[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))$"
)


def _page(found: DocumentsPage) -> dict[str, object]:
    return page(found.items, found.total, found.page_number, found.per_page)


@router.get("/", response_model=ApiInfoPublic)
async def api_info(request: Request, db: DbDep) -> ApiInfoPublic | Response:
    """Which HSDS version and profile this API speaks, and where its OpenAPI document is.

    A browser asking for a page gets the service's start page instead; programs get this JSON.
    """
    if wants_html(request):
        return await public.start_page(request, db)
    base = request.app.state.kit.settings.public_url or str(request.base_url)
    return ApiInfoPublic(version=HSDS_VERSION, profile=PROFILE, openapi_url=base.rstrip("/") + request.app.openapi_url)


async def service_query(
    page_number: PageNumber = 1,
    per_page: PerPage = 20,
    search: Annotated[Line | None, Query(max_length=200, description="Words to look for.")] = None,
    taxonomy_term_id: Annotated[
        Line | None, Query(max_length=2000, description="Need(s): term id, or ids separated by commas.")
    ] = None,
    taxonomy_id: Annotated[Line | None, Query(max_length=64)] = None,
    organization_id: Annotated[Line | None, Query(max_length=64)] = None,
    postcode: Annotated[
        str | None,
        Query(
            max_length=10,
            pattern=POSTCODE_PATTERN,
            description="A postcode or postcode district in Cambridgeshire and Peterborough, e.g. PE1 or CB4 1AA "
            "(one elsewhere gets a 422 saying so).",
        ),
    ] = None,
    proximity: Annotated[
        float | None,
        Query(gt=0, le=200_000, description="Metres from the postcode's centre (give a postcode too)."),
    ] = None,
    area: Annotated[Line | None, Query(max_length=100, description="A district, town or postcode district.")] = None,
    day: Annotated[
        str | None,
        Query(max_length=10, pattern=DAY_PATTERN, description="Open on a day: MO…SU, a day name or a date."),
    ] = None,
    start_time: Annotated[str | None, Query(pattern=CLOCK_PATTERN, description="Opens at or after (HH:MM).")] = None,
    end_time: Annotated[str | None, Query(pattern=CLOCK_PATTERN, description="Closes at or before (HH:MM).")] = None,
    language: Annotated[
        Line | None, Query(max_length=50, description="A language name or code, e.g. Polish or pl.")
    ] = None,
    accessibility: Annotated[
        Line | None, Query(max_length=100, description="Words about access, e.g. wheelchair.")
    ] = None,
    minimum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    maximum_age: Annotated[float | None, Query(ge=0, le=150)] = None,
    modified_after: Annotated[Moment | None, Query(description="Changed on or after this time (ISO 8601).")] = None,
    status: ServiceStatus | None = None,
) -> ServiceQuery:
    """The search a request to `/services` or `/service_at_locations` asks for."""
    if modified_after is not None and modified_after.tzinfo is None:
        modified_after = modified_after.replace(tzinfo=UTC)
    return ServiceQuery(
        search=search,
        taxonomy_term_ids=tuple(t.strip() for t in (taxonomy_term_id or "").split(",") if t.strip()),
        taxonomy_id=taxonomy_id,
        organization_id=organization_id,
        postcode=postcode,
        proximity=proximity,
        area=area,
        day=day,
        start_time=start_time,
        end_time=end_time,
        language=language,
        accessibility=accessibility,
        minimum_age=minimum_age,
        maximum_age=maximum_age,
        modified_after=modified_after,
        status=status.value if status else None,
        page=page_number,
        per_page=per_page,
    )


SearchDep = Annotated[ServiceQuery, Depends(service_query)]


@router.get("/services", response_model=Page[ServicePublic], response_model_exclude_none=True)
async def list_services(db: DbDep, query: SearchDep) -> dict[str, object]:
    """Services, by words, need, postcode and proximity, area, day, language or accessibility."""
    found = await finding.find_services(db, query)
    items = found.services
    for item in items:
        if item["id"] in found.distances:
            item["distance"] = round(found.distances[item["id"]])
    return page(items, found.total, query.page, query.per_page)


@router.get("/services/{service_id}", response_model=ServicePublic, response_model_exclude_none=True)
async def get_service(service_id: str, db: DbDep) -> Document:
    """One service, fully nested: organisation, locations, schedules, contacts, areas, needs."""
    found = await services.service(db, service_id)
    if found is None:
        raise NotFound(f"There is no service with id {service_id} in the directory.")
    return found.hsds


@router.get(
    "/service_at_locations", response_model=Page[ServiceAtLocationPublic], response_model_exclude_none=True
)
async def list_service_at_locations(db: DbDep, query: SearchDep) -> dict[str, object]:
    """Services at each place they meet people: the same search and filters as `/services`, one
    result for each service and place, distance and proximity measured to that place."""
    return _page(await finding.find_service_at_locations(db, query))


@router.get(
    "/service_at_locations/{link_id}", response_model=ServiceAtLocationPublic, response_model_exclude_none=True
)
async def get_service_at_location(link_id: str, db: DbDep) -> Document:
    """One service at one place, fully nested: the location (addresses, accessibility, languages)
    and the service with everything under it."""
    found = await finding.service_at_location(db, link_id)
    if found is None:
        raise NotFound(f"There is no service at location with id {link_id} in the directory.")
    return found


@router.get("/organizations", response_model=Page[OrganizationPublic], response_model_exclude_none=True)
async def list_organizations(
    db: DbDep,
    page_number: PageNumber = 1,
    per_page: PerPage = 20,
    search: Annotated[Line | None, Query(max_length=200)] = None,
) -> dict[str, object]:
    """Organisations that run services or host the forum's pop-up forums."""
    return _page(await organizations.organizations_page(db, search, page_number, per_page))


@router.get("/organizations/{organization_id}", response_model=OrganizationPublic, response_model_exclude_none=True)
async def get_organization(organization_id: str, db: DbDep) -> Document:
    """One organisation with its services."""
    return await organizations.organization_with_services(db, organization_id)


@router.get("/taxonomies", response_model=Page[TaxonomyPublic], response_model_exclude_none=True)
async def list_taxonomies(db: DbDep, page_number: PageNumber = 1, per_page: PerPage = 20) -> dict[str, object]:
    """Taxonomies: the vocabularies needs and kinds of service are described with."""
    return _page(await needs.taxonomies_page(db, page_number, per_page))


@router.get("/taxonomies/{taxonomy_id}", response_model=TaxonomyPublic, response_model_exclude_none=True)
async def get_taxonomy(taxonomy_id: str, db: DbDep) -> Document:
    """One taxonomy."""
    return await needs.taxonomy(db, taxonomy_id)


@router.get("/taxonomy_terms", response_model=Page[TaxonomyPublic], response_model_exclude_none=True)
async def list_taxonomy_terms(
    db: DbDep,
    page_number: PageNumber = 1,
    per_page: PerPage = 20,
    taxonomy_id: Annotated[Line | None, Query(max_length=64)] = None,
    parent_id: Annotated[Line | None, Query(max_length=64)] = None,
    top_only: bool = False,
    search: Annotated[Line | None, Query(max_length=200)] = None,
) -> dict[str, object]:
    """Taxonomy terms: the needs services meet, and kinds of service."""
    found = await needs.terms_page(
        db, page_number, per_page, search=search, taxonomy_id=taxonomy_id, parent_id=parent_id, top_only=top_only
    )
    return _page(found)


@router.get("/taxonomy_terms/{term_id}", response_model=TaxonomyPublic, response_model_exclude_none=True)
async def get_taxonomy_term(term_id: str, db: DbDep) -> Document:
    """One taxonomy term."""
    return await needs.term(db, term_id)
