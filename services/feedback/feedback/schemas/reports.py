"""What the JSON API returns as staff reports."""

from datetime import date

from pydantic import BaseModel, ConfigDict, Field


class EscalationCounts(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    open: int = Field(description="Raised, acknowledged or responded, not yet resolved.")
    awaiting_response: int
    overdue: int
    resolved: int
    by_route: dict[str, int]


class ReportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    since: date | None
    until: date | None
    total: int
    by_theme: dict[str, int]
    by_area: dict[str, int]
    by_source: dict[str, int]
    by_channel: dict[str, int]
    by_polarity: dict[str, int]
    by_month: dict[str, int]
    escalations: EscalationCounts
    praise: int = Field(description="Pieces of praise (positive feedback): what is working. Praise never escalates.")
    whats_working: dict[str, int] = Field(description="Praise by theme: what is working.")
