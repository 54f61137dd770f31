"""The Open Referral UK answers of the open API: HSDS objects by their HSDS field names, the
standard page envelope, and which version of the standard this API speaks."""

from __future__ import annotations

from typing import Generic, TypeVar

from pydantic import BaseModel, ConfigDict, Field

from signposting.domain import total_pages
from signposting.hsds import Document

T = TypeVar("T")
# The furthest page a list goes to: far past any directory's end, and a bound a client can read.
MOST_PAGES = 100_000


class Page(BaseModel, Generic[T]):
    """The Open Referral UK page envelope."""

    total_items: int = Field(ge=0)
    total_pages: int = Field(ge=1)
    page_number: int = Field(ge=1, le=MOST_PAGES)
    size: int = Field(ge=0, le=100)
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


class ServiceAtLocationPublic(HsdsObject):
    service_id: str
    location_id: str


class OrganizationPublic(HsdsObject):
    name: str
    description: str


class TaxonomyPublic(HsdsObject):
    name: str
    description: str


class ApiInfoPublic(BaseModel):
    version: str = Field(description="HSDS version of this API.")
    profile: str = Field(description="URL of the information on the HSDS profile of this API.")
    openapi_url: str = Field(description="URL of the OpenAPI document of this API.")


def page(items: list[Document], total: int, page_number: int, per_page: int) -> dict[str, object]:
    """The envelope of one page of `per_page` items out of `total`: a page past the end is empty."""
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
