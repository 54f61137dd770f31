"""What the JSON API returns as staff reports."""


from pydantic import BaseModel, ConfigDict, Field

from forum_shared.dates import Day


class EscalationCounts(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    open: int = Field(description="Raised, acknowledged or responded, not yet resolved.")
    awaiting_response: int
    overdue: int
    resolved: int
    by_route: dict[str, int]


class ReportPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    since: Day | None
    until: Day | None
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
