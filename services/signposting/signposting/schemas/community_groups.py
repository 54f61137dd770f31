"""Community groups that can host the forum's pop-up forums: what staff send, what they read."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, EmailStr, Field, StringConstraints, field_validator

from forum_shared.dates import Day, Moment
from forum_shared.text import Line, Text
from signposting.domain import CommunityGroupStatus
from signposting.schemas.fields import Url

Name = Annotated[Line, StringConstraints(min_length=1, max_length=200)]
Description = Annotated[Text, StringConstraints(max_length=4000)]
Phone = Annotated[Line, StringConstraints(min_length=3, max_length=50)]


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

    name: Name = Field(description="The group's public name.")
    description: Description | None = Field(
        default=None, description="What it offers; without one it is said to be a community group in its areas."
    )
    areas: list[Line] = Field(min_length=1, max_length=30, description="Areas of the county it covers.")
    email: EmailStr | None = None
    phone: Phone | None = None
    website: Url | None = None

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str]) -> list[str]:
        return _areas(value)


class CommunityGroupUpdate(BaseModel):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    name: Name | None = None
    description: Description | None = None
    areas: list[Line] | None = Field(default=None, min_length=1, max_length=30)
    email: EmailStr | None = None
    phone: Phone | None = None
    website: Url | None = None

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str] | None) -> list[str] | None:
        return None if value is None else _areas(value)


class CommunityGroupMark(BaseModel):
    """Mark an organisation already in the directory as a community group."""

    model_config = ConfigDict(extra="forbid")

    areas: list[Line] = Field(min_length=1, max_length=30, description="Areas of the county it covers.")

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str]) -> list[str]:
        return _areas(value)


class CommunityGroupPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str = Field(description="The group's organisation id in the directory.")
    name: str
    description: str
    areas: list[str]
    email: str | None
    phone: str | None
    website: str | None
    status: CommunityGroupStatus = Field(description="active, or withdrawn once it can no longer host pop-up forums.")
    registered_at: Moment | None
    last_visited_on: Day | None = Field(description="When the forum last held a pop-up forum with it.")
    pop_up_count: int = Field(description="How many pop-up forums it has hosted.")
    service_id: str | None = Field(
        description="Its listing: the Open Referral UK service saying what it offers, found by `GET /services`."
    )
