"""What the JSON API accepts and returns about pieces of feedback."""

from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, EmailStr, Field, field_validator, model_validator

from feedback.domain import (
    CRITICALITY_RANGE,
    MAX_TEXT,
    Channel,
    FeedbackStatus,
    Polarity,
    RecordedBy,
    SourceKind,
    normalise_theme,
)
from forum_shared.dates import Moment
from forum_shared.text import FilledText, Line


def _words(value: str) -> str:
    value = value.strip()
    if not value:
        raise ValueError("Please write the feedback: it cannot be empty.")
    return value


def _themes(value: list[str]) -> list[str]:
    return sorted({normalise_theme(t) for t in value if t.strip()})


Words = Annotated[
    FilledText, Field(description="The words, as the person put them.", max_length=MAX_TEXT), AfterValidator(_words)
]
Themes = Annotated[
    list[Annotated[Line, Field(max_length=100)]],
    Field(default_factory=list, max_length=20, description="Themes it raises."),
    AfterValidator(_themes),
]
Id = Annotated[Line, Field(max_length=64)]
Area = Annotated[Line, Field(max_length=100)]
GROUP_ID = (
    "The community group whose view it is. Only forum staff or a partner organisation's program may "
    "record a group's view, and only of a group the directory lists (GET /community-groups): anyone "
    "else gets 422, and so does a group the directory does not list."
)


class FeedbackCreate(BaseModel):
    """Feedback from anyone; contact details are kept only with consent."""

    model_config = ConfigDict(extra="forbid")

    text: Words
    channel: Channel = Field(default=Channel.online, description="How it reached the forum.")
    source: Annotated[Line, Field(max_length=200)] | None = Field(
        default=None, description="Who or where it came from (staff only; cleared on erasure)."
    )
    area: Area | None = Field(default=None, description="Area of the county it is about.")
    themes: Themes
    polarity: Polarity | None = None
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")
    member_id: Id | None = Field(default=None, description="The member giving it, if not anonymous.")
    contact_name: Annotated[Line, Field(max_length=200)] | None = None
    contact_email: EmailStr | None = None
    contact_phone: Annotated[Line, Field(max_length=50)] | None = None
    contact_consent: bool = Field(default=False, description="They agree to be contacted about it.")
    pop_up_id: Id | None = None
    meeting_id: Id | None = None
    community_group_id: Id | None = Field(default=None, description=GROUP_ID)

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
    area: Area | None = Field(default=None, description="Defaults to where it was heard.")
    safeguarding_concern: bool = Field(default=False, description="Someone may be at risk.")


class ViewsCreate(BaseModel):
    """Views heard at one pop-up forum or meeting, entered together by staff."""

    model_config = ConfigDict(extra="forbid")

    entered_by: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        description="The staff member entering them."
    )
    views: list[ViewCreate] = Field(min_length=1, max_length=200)


class PartnerFeedbackCreate(BaseModel):
    """Feedback a partner organisation's system sends; the partner is known from its API token."""

    model_config = ConfigDict(extra="forbid")

    text: Words
    area: Area | None = None
    themes: Themes
    polarity: Polarity | None = None
    safeguarding_concern: bool = False
    community_group_id: Id | None = Field(default=None, description=GROUP_ID)


class FeedbackTriage(BaseModel):
    """Staff triage. Fields left out keep their current value."""

    model_config = ConfigDict(extra="forbid")

    themes: list[Annotated[Line, Field(max_length=100)]] = Field(
        max_length=20, description="Themes from the managed list (GET /themes)."
    )
    tags: list[Annotated[Line, Field(max_length=50)]] = Field(
        default_factory=list, max_length=30, description="Free tags, for anything the list lacks."
    )
    criticality: int | None = Field(
        default=None, ge=CRITICALITY_RANGE[0], le=CRITICALITY_RANGE[1],
        description="How serious, 1 (low) to 5 (most critical). Seen by staff only.",
    )
    area: Area | None = None
    polarity: Polarity | None = Field(
        default=None, description="Praise (positive) is counted as what is working and never escalates."
    )
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
    recorded_by: RecordedBy = Field(
        description="Who recorded it: the public, staff or a partner organisation's program. Only staff "
        "and partners' programs may speak for a community group."
    )
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
    received_at: Moment
    triaged_at: Moment | None
    closed_at: Moment | None
    anonymised_at: Moment | None
    escalation_ids: list[str] = Field(default_factory=list)


class FeedbackRedaction(BaseModel):
    """Words staff take out of a piece of feedback because they identify someone: each is
    replaced by "[removed]" wherever it appears (any case)."""

    model_config = ConfigDict(extra="forbid")

    words: list[Annotated[Line, Field(min_length=1, max_length=200)]] = Field(
        min_length=1, max_length=500, description="Words or phrases to remove, as they appear in the feedback."
    )
