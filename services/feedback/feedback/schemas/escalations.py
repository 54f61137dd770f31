"""What the JSON API accepts and returns about escalations to governors and their notes."""

from typing import Annotated, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field

from feedback.domain import EscalationStatus, RaisedBy
from feedback.schemas.responses import ResponsePublic
from forum_shared.dates import Day, Moment
from forum_shared.text import Line, Text

PUBLIC_SUMMARY = (
    "PUBLIC: the words for the public agenda of the next forum meeting (governors see them too). "
    "Do not include names or details that identify anyone."
)
NOTES_FOR_GOVERNORS = (
    "For governors only: why they need to see it, and anything they should know. Kept in the feedback "
    "service and shown only on its governors' and staff pages: never published, never on the agenda, "
    "never in an event."
)
FeedbackIds = list[Annotated[Line, Field(max_length=64)]]


class EscalationCreate(BaseModel):
    """Staff escalate feedback to governors: public words for the agenda, and notes for governors only."""

    model_config = ConfigDict(extra="forbid")

    summary: Annotated[Line, Field(min_length=3, max_length=1000, description=PUBLIC_SUMMARY)]
    notes_for_governors: Annotated[
        Text,
        Field(
            min_length=3,
            max_length=2000,
            validation_alias=AliasChoices("notes_for_governors", "reason"),
            description=f"{NOTES_FOR_GOVERNORS} Also accepted under its former name, `reason`.",
        ),
    ]


class EscalationOfMany(EscalationCreate):
    feedback_ids: FeedbackIds = Field(min_length=1, max_length=500, description="The feedback it is about.")


class FeedbackLink(BaseModel):
    model_config = ConfigDict(extra="forbid")

    feedback_ids: FeedbackIds = Field(min_length=1, max_length=500)


class Acknowledgement(BaseModel):
    model_config = ConfigDict(extra="forbid")

    governor: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        description="The governor's name as they sign it, shown on this service's pages (a signed-in "
        "governor signs with their own). Events name the governor only by their account id."
    )


class NoteCreate(BaseModel):
    model_config = ConfigDict(extra="forbid")

    governor: Annotated[Line, Field(min_length=1, max_length=200)] = Field(
        description="The governor's name as they sign it."
    )
    text: Annotated[Text, Field(min_length=1, max_length=4000)]


class NotePublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    governor: str
    text: str
    added_at: Moment


class Resolution(BaseModel):
    model_config = ConfigDict(extra="forbid")

    resolved_by: Annotated[Line, Field(max_length=200)] | None = None


class EscalationPublic(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: str
    summary: str = Field(description=f"{PUBLIC_SUMMARY} Raised by a rule, the rule writes them.")
    reason: str = Field(
        description="Why it reached governors: the route's rule with its threshold and window (for a theme "
        "cluster, the sources that raised it), or 'Raised by staff'. The same words as in IssueEscalated."
    )
    notes_for_governors: str | None = Field(description=f"{NOTES_FOR_GOVERNORS} None when a rule raised it.")
    raised_by: RaisedBy
    themes: list[str]
    area: str | None
    cluster_theme: str | None
    status: EscalationStatus
    respond_by: Day
    raised_at: Moment
    acknowledged_by: str | None = Field(description="The governor who acknowledged it, by the name they signed.")
    acknowledged_by_id: str | None = Field(
        description="Their account id (or their program's API token id): how EscalationAcknowledged names them."
    )
    acknowledged_at: Moment | None
    responded_at: Moment | None
    resolved_at: Moment | None
    overdue: bool = Field(description="Past its respond-by date with no response.")
    overdue_at: Moment | None = Field(description="When governors were told it is overdue.")
    feedback_ids: list[str]
    linked_feedback_count: int
    source_count: int = Field(
        description="Distinct sources among the linked feedback (all feedback from the public counts as one)."
    )


class EscalationDetail(EscalationPublic):
    notes: list[NotePublic]
    responses: list[ResponsePublic]


class EscalationEmails(BaseModel):
    """The escalation emails a governor asks for: one for each new escalation, one for each that
    passes its respond-by date without a response. Left out: not wanted."""

    model_config = ConfigDict(extra="forbid")

    emails: list[Literal["new_escalations", "overdue_escalations"]] = Field(default_factory=list, max_length=2)
