"""What the forum's own routes accept and return: community groups, signposting, reports, history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Generic, TypeVar
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from signposting.schemas import Anonymous, Area, Url

T = TypeVar("T")


def _areas(value: list[str]) -> list[str]:
    # The same area typed twice in different case is one area; the first spelling is kept.
    unique: dict[str, str] = {}
    for area in value:
        name = " ".join(area.split())
        if name:
            unique.setdefault(name.lower(), name)
    areas = sorted(unique.values())
    if not areas:
        raise ValueError("Name at least one area the group covers.")
    if any(len(a) > 100 for a in areas):
        raise ValueError("An area name can be at most 100 characters.")
    return areas


class CommunityGroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="The group's public name.")
    description: str | None = Field(default=None, max_length=4000, description="What it helps with.")
    areas: list[str] = Field(min_length=1, max_length=30, description="Areas of the county it covers.")
    email: EmailStr | None = None
    phone: str | None = Field(default=None, min_length=3, max_length=50)
    website: Url | None = None

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str]) -> list[str]:
        return _areas(value)


class CommunityGroupUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    name: str | None = Field(default=None, min_length=1, max_length=200)
    description: str | None = Field(default=None, max_length=4000)
    areas: list[str] | None = Field(default=None, min_length=1, max_length=30)
    email: EmailStr | None = None
    phone: str | None = Field(default=None, min_length=3, max_length=50)
    website: Url | None = None

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _areas(value)


class CommunityGroupMark(BaseModel):
    """Mark an organisation already in the directory as a community group."""

    model_config = ConfigDict(extra="forbid")

    areas: list[str] = Field(min_length=1, max_length=30, description="Areas of the county it covers.")

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str]) -> list[str]:
        return _areas(value)


class CommunityGroupPublic(BaseModel):
    id: str = Field(description="The group's organisation id in the directory.")
    name: str
    description: str | None
    areas: list[str]
    email: str | None
    phone: str | None
    website: str | None
    status: str = Field(description="active, or withdrawn once it can no longer host pop-up forums.")
    registered_at: datetime | None
    last_visited_on: date | None = Field(description="When the forum last held a pop-up forum with it.")
    pop_up_count: int = Field(description="How many pop-up forums it has hosted.")


class SignpostingCreate(BaseModel):
    """Anonymous by design: there is nowhere to put a name, contact details or notes."""

    model_config = ConfigDict(extra="forbid")

    area: Area | None = Field(
        default=None, description="Where the person lives: a postcode district (PE1), district or town."
    )
    needs: list[Anonymous] = Field(
        default_factory=list, max_length=10, description="Needs, as taxonomy term ids or a few words each."
    )
    service_ids: list[UUID] = Field(
        default_factory=list, max_length=20, description="Services suggested; none means nothing fitted."
    )


class SignpostingPublic(BaseModel):
    id: str
    given_at: datetime
    area: str | None
    needs: list[str]
    service_ids: list[str]


class Count(BaseModel):
    area: str | None = None
    district: str | None = None
    need: str | None = None
    need_name: str | None = Field(default=None, description="The taxonomy term's name, when the need is a term.")
    count: int


class UnmetNeed(BaseModel):
    signposted_to_nothing: list[Count] = Field(description="Signposting where no service fitted, by area and need.")
    searches_found_nothing: list[Count] = Field(description="Searches that found nothing, by area and need.")
    search_words: list[Count] = Field(description="Words of searches that found nothing, by area.")


class SignpostingReport(BaseModel):
    since: date | None
    until: date | None
    signposting_total: int
    by_area: list[Count]
    by_need: list[Count]
    by_area_and_need: list[Count]
    unmet_need: UnmetNeed


class HistoryEntry(BaseModel):
    """One change, as an HSDS `metadata` record."""

    id: str
    resource_id: str
    resource_type: str
    last_action_date: str
    last_action_type: str = Field(description="create, update, verify or import.")
    field_name: str
    previous_value: str
    replacement_value: str
    updated_by: str


class Listing(BaseModel):
    kind: str = Field(description="service or organization")
    id: str
    name: str
    verified_on: date | None = Field(description="When staff last checked it with the provider.")
    stale: bool = Field(description="Not verified for 12 months: it may be out of date.")


class Page(BaseModel, Generic[T]):
    """The Open Referral UK page envelope."""

    total_items: int
    total_pages: int
    page_number: int
    size: int
    first_page: bool
    last_page: bool
    empty: bool
    contents: list[T]


class HsdsObject(BaseModel):
    """An HSDS object as JSON; see the Open Referral UK schema for its fields."""

    model_config = ConfigDict(extra="allow")

    id: str


class ServicePublic(HsdsObject):
    name: str
    status: str


class OrganizationPublic(HsdsObject):
    name: str
    description: str


class TaxonomyPublic(HsdsObject):
    name: str
    description: str


class ApiInfo(BaseModel):
    version: str = Field(description="HSDS version of this API.")
    profile: str = Field(description="URL of the information on the HSDS profile of this API.")
    openapi_url: str = Field(description="URL of the OpenAPI document of this API.")


class ImportResult(BaseModel):
    organizations: int
    services: int
    locations: int
    taxonomies: int
    taxonomy_terms: int


class ImportProblem(BaseModel):
    source: str = Field(description="The file or JSON list the problem is in, e.g. services.csv.")
    row: int | None = Field(description="Row (CSV, counting the header as row 1) or item number (JSON, from 1).")
    field: str | None
    message: str


class ImportRejectedPublic(BaseModel):
    detail: str = Field(description="Nothing was imported, and why.")
    errors: list[ImportProblem]


def page(items: list[Any], total: int, page_number: int, per_page: int) -> dict:
    from signposting.domain import total_pages

    pages = total_pages(total, per_page)
    return {
        "total_items": total,
        "total_pages": pages,
        "page_number": page_number,
        "size": len(items),
        "first_page": page_number == 1,
        "last_page": page_number >= pages,
        "empty": not items,
        "contents": items,
    }
