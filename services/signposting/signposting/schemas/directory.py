"""Listings checked with their providers, and the history of every change (as HSDS `metadata`)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field, field_validator

from forum_shared.dates import Day
from signposting.domain import ChangeKind, ListingKind
from signposting.hsds import timestamp


class ChangePublic(BaseModel):
    """One change, as an HSDS `metadata` record."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    resource_id: str
    resource_type: str
    last_action_date: str
    last_action_type: ChangeKind = Field(description="create, update or verify.")
    field_name: str
    previous_value: str
    replacement_value: str
    updated_by: str

    @field_validator("last_action_date", mode="before")
    @classmethod
    def _as_hsds_time(cls, value: object) -> object:
        return timestamp(value) if isinstance(value, datetime) else value


class ListingPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    kind: ListingKind = Field(description="service or organization")
    id: str
    name: str
    verified_on: Day | None = Field(description="When staff last checked it with the provider.")
    stale: bool = Field(description="Not verified for 12 months: it may be out of date.")
