"""What the JSON API accepts and returns about the managed theme list."""

from pydantic import BaseModel, ConfigDict, Field


class ThemeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=2, max_length=100, description="The theme, e.g. 'waiting times'.")


class ThemePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    active: bool
