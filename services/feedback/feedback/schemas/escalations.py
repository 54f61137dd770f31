"""What the JSON API accepts and returns about escalations to governors and their notes."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from feedback.domain import EscalationStatus, RaisedBy
from feedback.schemas.responses import ResponsePublic


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
    model_config = ConfigDict(from_attributes=True)

    id: str
    governor: str
    text: str
    added_at: datetime


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved_by: str | None = Field(default=None, max_length=200)


class EscalationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    summary: str
    reason: str
    raised_by: RaisedBy
    themes: list[str]
    area: str | None
    cluster_theme: str | None
    status: EscalationStatus
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


class EscalationDetail(EscalationPublic):
    notes: list[NotePublic]
    responses: list[ResponsePublic]
