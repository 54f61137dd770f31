"""What the directory accepts for a service: its own HSDS fields, and everything under it (needs,
areas, schedules, contacts, places …); a change gives only the fields that change."""

from __future__ import annotations

from typing import Literal
from uuid import UUID

from pydantic import BaseModel, ConfigDict, EmailStr, Field, model_validator

from forum_shared.dates import Day
from signposting.schemas.fields import Hsds, Long, Short, Url
from signposting.schemas.hsds import (
    AttributeCreate,
    ContactCreate,
    CostOptionCreate,
    LanguageCreate,
    OrganizationCreate,
    PhoneCreate,
    ScheduleCreate,
    ServiceAreaCreate,
    ServiceAtLocationCreate,
)

# The HSDS service statuses; the same values as `domain.ServiceStatus` (a test keeps them so).
Status = Literal["active", "inactive", "defunct", "temporarily closed"]


class ServiceFields(BaseModel):
    name: Short
    alternate_name: Short | None = None
    description: Long | None = None
    url: Url | None = None
    email: EmailStr | None = None
    status: Status = "active"
    interpretation_services: Long | None = None
    application_process: Long | None = None
    fees_description: Long | None = None
    wait_time: Short | None = None
    fees: Long | None = None
    accreditations: Long | None = None
    eligibility_description: Long | None = None
    minimum_age: float | None = Field(default=None, ge=0, le=150)
    maximum_age: float | None = Field(default=None, ge=0, le=150)
    assured_date: Day | None = Field(default=None, description="When the listing was last checked.")
    assurer_email: EmailStr | None = None
    alert: Long | None = None


class ServiceCreate(Hsds, ServiceFields):
    organization_id: UUID | None = None
    organization: OrganizationCreate | None = None
    taxonomy_term_ids: list[UUID] = Field(default_factory=list, max_length=50, description="Needs it meets.")
    attributes: list[AttributeCreate] = Field(default_factory=list, max_length=50)
    schedules: list[ScheduleCreate] = Field(default_factory=list, max_length=50)
    service_areas: list[ServiceAreaCreate] = Field(default_factory=list, max_length=200)
    languages: list[LanguageCreate] = Field(default_factory=list, max_length=50)
    contacts: list[ContactCreate] = Field(default_factory=list, max_length=20)
    phones: list[PhoneCreate] = Field(default_factory=list, max_length=20)
    cost_options: list[CostOptionCreate] = Field(default_factory=list, max_length=20)
    service_at_locations: list[ServiceAtLocationCreate] = Field(default_factory=list, max_length=100)

    @model_validator(mode="after")
    def _checks(self) -> ServiceCreate:
        if self.organization_id is None and self.organization is None:
            raise ValueError("Give the organization_id of the organisation that runs the service")
        if self.minimum_age is not None and self.maximum_age is not None and self.minimum_age > self.maximum_age:
            raise ValueError("minimum_age is above maximum_age")
        return self


class ServiceUpdate(BaseModel):
    """Only the fields given change; a list given replaces the whole list."""

    model_config = ConfigDict(extra="forbid")

    organization_id: UUID | None = None
    name: Short | None = None
    alternate_name: Short | None = None
    description: Long | None = None
    url: Url | None = None
    email: EmailStr | None = None
    status: Status | None = None
    interpretation_services: Long | None = None
    application_process: Long | None = None
    fees_description: Long | None = None
    wait_time: Short | None = None
    fees: Long | None = None
    accreditations: Long | None = None
    eligibility_description: Long | None = None
    minimum_age: float | None = Field(default=None, ge=0, le=150)
    maximum_age: float | None = Field(default=None, ge=0, le=150)
    assurer_email: EmailStr | None = None
    alert: Long | None = None
    taxonomy_term_ids: list[UUID] | None = None
    schedules: list[ScheduleCreate] | None = None
    service_areas: list[ServiceAreaCreate] | None = None
    languages: list[LanguageCreate] | None = None
    contacts: list[ContactCreate] | None = None
    phones: list[PhoneCreate] | None = None
    cost_options: list[CostOptionCreate] | None = None
    service_at_locations: list[ServiceAtLocationCreate] | None = None
