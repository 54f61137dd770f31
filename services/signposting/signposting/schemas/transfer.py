"""What an import brought in, or why nothing was imported."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field


class ImportPublic(BaseModel):
    """How many of each kind of record an import brought in."""

    model_config = ConfigDict(from_attributes=True)

    organizations: int
    services: int
    locations: int
    taxonomies: int
    taxonomy_terms: int


class ImportProblemPublic(BaseModel):
    source: str = Field(description="The file or JSON list the problem is in, e.g. services.csv.")
    row: int | None = Field(description="Row (CSV, counting the header as row 1) or item number (JSON, from 1).")
    field: str | None
    message: str


class ImportRejectedPublic(BaseModel):
    detail: str = Field(description="Nothing was imported, and why.")
    errors: list[ImportProblemPublic]
