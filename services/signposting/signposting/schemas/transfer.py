"""What an import brought in, or why nothing was imported."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict


class ImportPublic(BaseModel):
    """How many of each kind of record an import brought in."""

    model_config = ConfigDict(from_attributes=True)

    organizations: int
    services: int
    locations: int
    taxonomies: int
    taxonomy_terms: int
