"""What the JSON API accepts and returns."""

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, EmailStr, Field, field_validator

from feedback.domain import MAX_TEXT, Channel, Polarity


class FeedbackCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(description="The words, as the person put them.", max_length=MAX_TEXT)
    channel: Channel = Field(default=Channel.online, description="How it reached the forum.")
    source: str | None = Field(default=None, max_length=200, description="Who or where it came from.")
    area: str | None = Field(default=None, max_length=100, description="Area of the county it is about.")
    themes: list[str] = Field(default_factory=list, max_length=20, description="Themes it raises.")
    polarity: Polarity | None = None
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")
    member_id: str | None = Field(default=None, max_length=64, description="The member giving it, if not anonymous.")
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: EmailStr | None = None
    contact_phone: str | None = Field(default=None, max_length=50)
    contact_consent: bool = Field(default=False, description="They agree to be contacted about it.")
    pop_up_id: str | None = Field(default=None, max_length=64)
    meeting_id: str | None = Field(default=None, max_length=64)
    community_group_id: str | None = Field(default=None, max_length=64)

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        value = value.strip()
        if not value:
            raise ValueError("Please write the feedback: it cannot be empty.")
        return value

    @field_validator("themes")
    @classmethod
    def _clean_themes(cls, value: list[str]) -> list[str]:
        return sorted({t.strip().lower() for t in value if t.strip()})


class FeedbackPublic(BaseModel):
    id: str
    text: str
    channel: str
    source: str | None
    area: str | None
    themes: list[str]
    polarity: str | None
    safeguarding_concern: bool
    status: str
    pop_up_id: str | None
    meeting_id: str | None
    community_group_id: str | None
    received_at: datetime


class EscalationCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    summary: str = Field(min_length=3, max_length=1000, description="De-identified summary for governors.")
    reason: str = Field(min_length=3, max_length=2000, description="Why it needs governors' attention.")


class EscalationPublic(BaseModel):
    id: str
    summary: str
    reason: str
    raised_by: str
    themes: list[str]
    area: str | None
    status: str
    respond_by: date
    raised_at: datetime
    feedback_ids: list[str]
