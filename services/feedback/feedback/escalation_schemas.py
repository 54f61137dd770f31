"""What the JSON API accepts and returns about escalations, responses and reports."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from feedback.domain import Outcome



class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=3, max_length=1000, description="De-identified summary for governors.")
    reason: str = Field(min_length=3, max_length=2000, description="Why it needs governors' attention.")


class EscalationOfMany(EscalationCreate):
    feedback_ids: list[str] = Field(min_length=1, max_length=500, description="The feedback it is about.")


class FeedbackLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feedback_ids: list[str] = Field(min_length=1, max_length=500)


class Acknowledgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    governor: str = Field(min_length=1, max_length=200, description="The governor's name as they sign it.")


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    governor: str = Field(min_length=1, max_length=200, description="The governor's name as they sign it.")
    text: str = Field(min_length=1, max_length=4000)


class NotePublic(BaseModel):
    id: str
    governor: str
    text: str
    added_at: datetime


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved_by: str | None = Field(default=None, max_length=200)


class EscalationPublic(BaseModel):
    id: str
    summary: str
    reason: str
    raised_by: str
    themes: list[str]
    area: str | None
    cluster_theme: str | None
    status: str
    respond_by: date
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    overdue: bool = Field(description="Past its respond-by date with no response.")
    overdue_at: datetime | None = Field(description="When governors were told it is overdue.")
    feedback_ids: list[str]
    linked_feedback_count: int
    source_count: int = Field(description="Distinct sources among the linked feedback.")


class ResponseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    you_said: str = Field(
        min_length=3, max_length=2000, description="De-identified summary of what people said; shown publicly."
    )
    we_did: str = Field(min_length=3, max_length=4000, description="What was or will be done; shown publicly.")
    outcome: Outcome
    responded_by: str | None = Field(default=None, max_length=200, description="Staff member (not shown publicly).")


class ResponsePublic(BaseModel):
    id: str
    escalation_id: str | None
    you_said: str
    we_did: str
    outcome: str
    responded_by: str | None
    responded_at: datetime
    feedback_ids: list[str]


class EscalationDetail(EscalationPublic):
    notes: list[NotePublic]
    responses: list[ResponsePublic]


class SourceTrace(BaseModel):
    """Where the voices came from, with no one identified."""

    description: str = Field(description="e.g. 'A pop-up forum with Wisbech Mind, Fenland, March 2027'.")
    kind: str
    area: str | None
    month: str
    voices: int


class YouSaidWeDidPublic(BaseModel):
    """A published response, for anyone to read: no personal data, no staff ratings."""

    id: str
    you_said: str
    we_did: str
    outcome: str
    outcome_words: str
    responded_at: datetime
    themes: list[str]
    escalated: bool = Field(description="Whether governors were asked to act on it.")
    voices: int = Field(description="How many pieces of feedback it answers.")
    sources: list[SourceTrace]


class EscalationCounts(BaseModel):
    open: int = Field(description="Raised, acknowledged or responded, not yet resolved.")
    awaiting_response: int
    overdue: int
    resolved: int
    by_route: dict[str, int]


class ReportPublic(BaseModel):
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
