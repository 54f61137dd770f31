"""What the JSON API accepts and returns about pieces of feedback."""

from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from feedback.domain import CRITICALITY_RANGE, MAX_TEXT, Channel, FeedbackStatus, Polarity, SourceKind, normalise_theme


def _words(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("Please write the feedback: it cannot be empty.")
    return value


def _themes(value: list[str]) -> list[str]:
    return sorted({normalise_theme(t) for t in value if t.strip()})


Words = Annotated[
    str, Field(description="The words, as the person put them.", max_length=MAX_TEXT), AfterValidator(_words)
]
Themes = Annotated[
    list[Annotated[str, Field(max_length=100)]],
    Field(default_factory=list, max_length=20, description="Themes it raises."),
    AfterValidator(_themes),
]
Id = Annotated[str, Field(max_length=64)]


class FeedbackCreate(BaseModel):
    """Feedback from anyone; contact details are kept only with consent."""

    model_config = ConfigDict(extra="forbid")

    text: Words
    channel: Channel = Field(default=Channel.online, description="How it reached the forum.")
    source: str | None = Field(default=None, max_length=200, description="Who or where it came from.")
    area: str | None = Field(default=None, max_length=100, description="Area of the county it is about.")
    themes: Themes
    polarity: Polarity | None = None
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")
    member_id: Id | None = Field(default=None, description="The member giving it, if not anonymous.")
    contact_name: str | None = Field(default=None, max_length=200)
    contact_email: EmailStr | None = None
    contact_phone: str | None = Field(default=None, max_length=50)
    contact_consent: bool = Field(default=False, description="They agree to be contacted about it.")
    pop_up_id: Id | None = None
    meeting_id: Id | None = None
    community_group_id: Id | None = None

    @model_validator(mode="after")
    def _contact_needs_consent(self):
        given = self.contact_name or self.contact_email or self.contact_phone
        if given and not self.contact_consent:
            raise ValueError(
                "Contact details were given without agreeing to be contacted: tick contact_consent, "
                "or leave the contact details out to stay anonymous."
            )
        return self


class ViewCreate(BaseModel):
    """One view heard at a pop-up forum or meeting, as staff write it down."""

    model_config = ConfigDict(extra="forbid")

    text: Words
    themes: Themes
    polarity: Polarity | None = None
    area: str | None = Field(default=None, max_length=100, description="Defaults to where it was heard.")
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")


class ViewsCreate(BaseModel):
    """Views heard at one pop-up forum or meeting, entered together by staff."""

    model_config = ConfigDict(extra="forbid")

    entered_by: str = Field(min_length=1, max_length=200, description="The staff member entering them.")
    views: list[ViewCreate] = Field(min_length=1, max_length=200)


class PartnerFeedbackCreate(BaseModel):
    """Feedback a partner organisation's system sends; the partner is known from its API token."""

    model_config = ConfigDict(extra="forbid")

    text: Words
    area: str | None = Field(default=None, max_length=100)
    themes: Themes
    polarity: Polarity | None = None
    safeguarding_concern: bool = False
    community_group_id: Id | None = Field(default=None, description="The group whose view it is, if any.")


class FeedbackTriage(BaseModel):
    """Staff triage. Fields left out keep their current value."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Annotated[str, Field(max_length=100)]] = Field(
        max_length=20, description="Themes from the managed list (GET /themes)."
    )
    tags: list[Annotated[str, Field(max_length=50)]] = Field(
        default_factory=list, max_length=30, description="Free tags, for anything the list lacks."
    )
    criticality: int | None = Field(
        default=None, ge=CRITICALITY_RANGE[0], le=CRITICALITY_RANGE[1],
        description="How serious, 1 (low) to 5 (most critical). Seen by staff only.",
    )
    area: str | None = Field(default=None, max_length=100)
    polarity: Polarity | None = None
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")

    @field_validator("themes")
    @classmethod
    def _clean_themes(cls, value: list[str]) -> list[str]:
        return _themes(value)

    @field_validator("tags")
    @classmethod
    def _clean_tags(cls, value: list[str]) -> list[str]:
        return sorted({" ".join(t.split()).lower() for t in value if t.strip()})


class FeedbackPublic(BaseModel):
    """Feedback as staff see it (contact details only exist when the person agreed)."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    text: str
    channel: Channel
    source: str | None
    source_kind: SourceKind
    area: str | None
    themes: list[str]
    tags: list[str]
    polarity: Polarity | None
    safeguarding_concern: bool
    criticality: int | None = Field(description="Staff only: never shown publicly.")
    status: FeedbackStatus
    member_id: str | None
    contact_name: str | None
    contact_email: str | None
    contact_phone: str | None
    contact_consent: bool
    pop_up_id: str | None
    meeting_id: str | None
    community_group_id: str | None
    partner_id: str | None
    entered_by: str | None
    received_at: datetime
    triaged_at: datetime | None
    closed_at: datetime | None
    anonymised_at: datetime | None
    escalation_ids: list[str] = Field(default_factory=list)
