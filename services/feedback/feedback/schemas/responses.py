"""What the JSON API accepts and returns about “you said, we did” responses."""

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from feedback.domain import Outcome, SourceKind
from forum_shared.dates import Moment
from forum_shared.text import Line, Text


class ResponseCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    you_said: Annotated[Text, Field(min_length=3, max_length=2000)] = Field(
        description="De-identified summary of what people said; shown publicly."
    )
    we_did: Annotated[Text, Field(min_length=3, max_length=4000)] = Field(
        description="What was or will be done; shown publicly."
    )
    outcome: Outcome
    responded_by: Annotated[Line, Field(max_length=200)] | None = Field(
        default=None, description="Staff member (not shown publicly)."
    )


class ResponsePublic(BaseModel):
    """A response as staff see it."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    escalation_id: str | None
    you_said: str
    we_did: str
    outcome: Outcome
    responded_by: str | None
    responded_at: Moment
    feedback_ids: list[str]


class SourceTrace(BaseModel):
    """Where the voices came from, with no one identified."""

    model_config = ConfigDict(from_attributes=True)

    description: str = Field(description="e.g. 'A pop-up forum with Wisbech Mind, Fenland, March 2027'.")
    kind: SourceKind
    area: str | None
    month: str
    voices: int


class YouSaidWeDidPublic(BaseModel):
    """A published response, for anyone to read: no personal data, no staff ratings."""

    model_config = ConfigDict(from_attributes=True)

    id: str
    you_said: str
    we_did: str
    outcome: Outcome
    outcome_words: str
    responded_at: Moment
    themes: list[str]
    escalated: bool = Field(description="Whether governors were asked to act on it.")
    voices: int = Field(description="How many pieces of feedback it answers.")
    sources: list[SourceTrace]
