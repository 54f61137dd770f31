"""What the JSON API returns for the forum's reports."""

from __future__ import annotations

from pydantic import Field

from membership.schemas.base import Public


class CountPublic(Public):
    label: str
    count: int | None = Field(description="The number, or null when it is too small to show safely.")
    shown: str = Field(description='What to display: the number, or "fewer than 5".')


class DiversityPublic(Public):
    """Counts for diversity reporting. No individual can be picked out (see `note`)."""

    small_count_threshold: int
    note: str
    members: CountPublic
    by_area: list[CountPublic]
    by_connection: list[CountPublic]
