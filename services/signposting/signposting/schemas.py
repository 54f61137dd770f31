"""What the JSON API accepts and returns."""

from datetime import datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, HttpUrl, field_validator


class CommunityGroupCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, description="The group's public name.")
    description: str | None = Field(default=None, max_length=4000, description="What it helps with.")
    areas: list[str] = Field(min_length=1, max_length=30, description="Areas of the county it covers.")
    email: EmailStr | None = None
    phone: str | None = Field(default=None, max_length=50)
    website: HttpUrl | None = None

    @field_validator("areas")
    @classmethod
    def _clean_areas(cls, value: list[str]) -> list[str]:
        areas = sorted({a.strip() for a in value if a.strip()})
        if not areas:
            raise ValueError("Name at least one area the group covers.")
        return areas


class CommunityGroupPublic(BaseModel):
    id: str
    name: str
    description: str | None
    areas: list[str]
    email: str | None
    phone: str | None
    website: str | None
    status: str
    registered_at: datetime
