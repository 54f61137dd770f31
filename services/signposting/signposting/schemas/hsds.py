"""What the directory accepts: HSDS 3.0 objects, as staff send them and as Open Referral UK feeds
carry them, by their HSDS field names. Fields the directory does not keep (funding, programs …) are
ignored, not refused. Services themselves are in `schemas.services`.
"""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, model_validator

from forum_shared.dates import Day
from forum_shared.text import Line, PlainText
from signposting.schemas.fields import ByDay, Clock, Hsds, Long, Short, Url


class PhoneCreate(Hsds):
    number: Annotated[Line, StringConstraints(min_length=3, max_length=50)]
    extension: float | None = None
    type: Short | None = None
    description: Long | None = None


class ContactCreate(Hsds):
    name: Short | None = None
    title: Short | None = None
    department: Short | None = None
    email: EmailStr | None = None
    phones: list[PhoneCreate] = Field(default_factory=list, max_length=20)


class ScheduleCreate(Hsds):
    valid_from: Day | None = None
    valid_to: Day | None = None
    dtstart: Day | None = None
    timezone: float | None = None
    until: Day | None = None
    count: int | None = Field(default=None, ge=0)
    wkst: Literal["MO", "TU", "WE", "TH", "FR", "SA", "SU"] | None = None
    freq: Literal["WEEKLY", "MONTHLY"] | None = None
    interval: int | None = Field(default=None, ge=1)
    byday: ByDay | None = None
    byweekno: Short | None = None
    bymonthday: Short | None = None
    byyearday: Short | None = None
    description: Long | None = None
    opens_at: Clock | None = None
    closes_at: Clock | None = None
    schedule_link: Url | None = None
    attending_type: Short | None = None
    notes: Long | None = None


class ServiceAreaCreate(Hsds):
    name: Annotated[Line, StringConstraints(min_length=1, max_length=200)] = Field(
        description="An area the service covers: a postcode district (PE13), a district (Fenland), a town, "
        "or Cambridgeshire and Peterborough."
    )
    description: Long | None = None
    extent: Long | None = None
    extent_type: Short | None = None
    uri: Short | None = None


class LanguageCreate(Hsds):
    name: Short | None = None
    code: Annotated[Line, StringConstraints(max_length=20)] | None = None
    note: Long | None = None


class CostOptionCreate(Hsds):
    valid_from: Day | None = None
    valid_to: Day | None = None
    option: Long | None = None
    currency: Annotated[str, StringConstraints(pattern=r"^[A-Z]{3}$"), PlainText("one")] | None = None
    amount: float | None = Field(default=None, ge=0)
    amount_description: Long | None = None


class AddressCreate(Hsds):
    attention: Short | None = None
    address_1: Short
    address_2: Short | None = None
    city: Short
    region: Short | None = None
    state_province: Short
    postal_code: Annotated[Line, StringConstraints(min_length=2, max_length=16)]
    country: Annotated[
        str, StringConstraints(strip_whitespace=True, to_upper=True, pattern=r"^[A-Z]{2}$"), PlainText("one")
    ]
    address_type: Literal["physical", "postal", "virtual"] = "physical"


class AccessibilityCreate(Hsds):
    description: Long | None = None
    details: Long | None = None
    url: Url | None = None


class LocationCreate(Hsds):
    location_type: Literal["physical", "postal", "virtual"] = "physical"
    url: Url | None = None
    organization_id: UUID | None = None
    name: Short | None = None
    alternate_name: Short | None = None
    description: Long | None = None
    transportation: Long | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    external_identifier: Short | None = None
    external_identifier_type: Short | None = None
    addresses: list[AddressCreate] = Field(default_factory=list, max_length=10)
    accessibility: list[AccessibilityCreate] = Field(default_factory=list, max_length=20)
    languages: list[LanguageCreate] = Field(default_factory=list, max_length=50)


class LocationUpdate(BaseModel):
    """Only the fields given change; a list given replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    location_type: Literal["physical", "postal", "virtual"] | None = None
    url: Url | None = None
    organization_id: UUID | None = None
    name: Short | None = None
    alternate_name: Short | None = None
    description: Long | None = None
    transportation: Long | None = None
    latitude: float | None = Field(default=None, ge=-90, le=90)
    longitude: float | None = Field(default=None, ge=-180, le=180)
    external_identifier: Short | None = None
    external_identifier_type: Short | None = None
    addresses: list[AddressCreate] | None = None
    accessibility: list[AccessibilityCreate] | None = None
    languages: list[LanguageCreate] | None = None


class ServiceAtLocationCreate(Hsds):
    location_id: UUID | None = None
    location: LocationCreate | None = None
    description: Long | None = None

    @model_validator(mode="after")
    def _has_location(self) -> ServiceAtLocationCreate:
        if self.location_id is None and self.location is None:
            raise ValueError("Give a location_id or a location")
        return self


class TaxonomyCreate(Hsds):
    name: Short
    description: Long | None = None
    uri: Url | None = None
    version: Short | None = None


class TaxonomyTermCreate(Hsds):
    code: Short | None = None
    name: Short
    description: Long | None = None
    parent_id: UUID | None = None
    taxonomy: Short | None = None
    taxonomy_id: UUID | None = None
    language: Annotated[Line, StringConstraints(max_length=20)] | None = None
    term_uri: Url | None = None


class AttributeCreate(Hsds):
    taxonomy_term_id: UUID | None = None
    taxonomy_term: TaxonomyTermCreate | None = None
    link_type: Short | None = None
    value: Long | None = None

    @model_validator(mode="after")
    def _has_term(self) -> AttributeCreate:
        if self.taxonomy_term_id is None and (self.taxonomy_term is None or self.taxonomy_term.id is None):
            raise ValueError("Give a taxonomy_term_id or a taxonomy_term with its id")
        return self


class OrganizationCreate(Hsds):
    name: Short
    alternate_name: Short | None = None
    description: Long | None = None
    email: EmailStr | None = None
    website: Url | None = None
    legal_status: Short | None = None
    logo: Short | None = None
    uri: Url | None = None
    parent_organization_id: UUID | None = None
    phones: list[PhoneCreate] = Field(default_factory=list, max_length=20)


class OrganizationUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    name: Short | None = None
    alternate_name: Short | None = None
    description: Long | None = None
    email: EmailStr | None = None
    website: Url | None = None
    legal_status: Short | None = None
    logo: Short | None = None
    uri: Url | None = None
    parent_organization_id: UUID | None = None
    phones: list[PhoneCreate] | None = None
