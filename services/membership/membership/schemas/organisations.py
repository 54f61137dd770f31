"""What the JSON API accepts and returns about partner organisations and their representatives."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, field_validator

from forum_shared.dates import Moment
from forum_shared.text import FilledLine, Line, Text
from membership import domain
from membership.schemas.base import Public, clean_text


class OrganisationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: FilledLine = Field(max_length=200, description="The organisation's public name.")
    kind: FilledLine = Field(max_length=100, description="Trust, charity, peer support network, community group …")
    description: Text | None = Field(
        default=None, max_length=2000, description="What it does, in a few words."
    )
    website: HttpUrl | None = None
    area: Line | None = Field(default=None, max_length=100, description="Where it works, if in one area.")

    @field_validator("name", "kind")
    @classmethod
    def _required(cls, value: str) -> str:
        value = domain.tidy(value)
        if not value:
            raise ValueError("This cannot be empty.")
        return value

    @field_validator("area")
    @classmethod
    def _area(cls, value: str | None) -> str | None:
        return domain.tidy_area(value)

    @field_validator("description")
    @classmethod
    def _description(cls, value: str | None) -> str | None:
        return clean_text(value)


class RepresentativeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    member_id: Line = Field(max_length=64, description="The member who represents the organisation.")
    position: Line | None = Field(
        default=None, max_length=200, description="Their position, if they give one."
    )

    @field_validator("position")
    @classmethod
    def _position(cls, value: str | None) -> str | None:
        return clean_text(value)


class RepresentativePublic(Public):
    member_id: str
    display_name: str
    position: str | None
    since: Moment


class OrganisationPublic(Public):
    id: str
    name: str
    kind: str
    description: str | None
    website: str | None
    area: str | None
    joined_at: Moment
    representatives: list[RepresentativePublic]
