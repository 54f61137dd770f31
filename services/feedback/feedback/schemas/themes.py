"""What the JSON API accepts and returns about the managed theme list."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from forum_shared.text import Line


class ThemeCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    name: Annotated[Line, Field(min_length=2, max_length=100)] = Field(description="The theme, e.g. 'waiting times'.")


class ThemePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    name: str
    active: bool
