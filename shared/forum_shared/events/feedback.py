"""Events owned by the feedback service (stream `FEEDBACK`). Governors follow escalations."""

from collections.abc import Mapping
from datetime import date, datetime
from typing import ClassVar, Literal

from pydantic import Field

from forum_shared.events.event import Code, Event, Id


class FeedbackEvent(Event):
    owner: ClassVar[str] = "feedback"


class FeedbackReceived(FeedbackEvent):
    """Feedback was recorded. Carries no words and no contact details, only what it is about."""

    feedback_id: Id = Field(description="Id of the feedback.")
    received_at: datetime = Field(description="When it was recorded (UTC).")
    channel: Code = Field(description="How it reached the forum: online, pop-up forum, meeting, partner …")
    area: Code | None = Field(default=None, description="Area of the county it is about, if known.")
    themes: list[Code] = Field(default_factory=list, description="Themes it raises.")
    polarity: Literal["positive", "negative", "mixed"] | None = Field(
        default=None, description="Whether it is praise, a concern, or both."
    )
    pop_up_id: Id | None = Field(default=None, description="The pop-up forum it was heard at, if any.")
    meeting_id: Id | None = Field(default=None, description="The meeting it was heard at, if any.")
    community_group_id: Id | None = Field(
        default=None, description="The community group whose view it is, if any."
    )
    source_kind: Code | None = Field(
        default=None,
        description="Who it came from, de-identified: individual, community_group, pop_up_forum, "
        "meeting or partner_organisation.",
    )


class FeedbackTriaged(FeedbackEvent):
    """Staff triaged feedback: themes set. Criticality stays inside the feedback service."""

    feedback_id: Id = Field(description="Id of the feedback.")
    themes: list[Code] = Field(default_factory=list, description="Themes after triage.")
    area: Code | None = Field(default=None, description="Area after triage.")
    status: Code | None = Field(default=None, description="The feedback's status after triage.")
    triaged_at: datetime | None = Field(default=None, description="When it was triaged (UTC).")


class IssueEscalated(FeedbackEvent):
    """A serious issue was escalated to governors; it goes on the next forum meeting's agenda."""

    consumed_by: ClassVar[tuple[str, ...]] = ("governors", "meetings")

    free_text: ClassVar[Mapping[str, str]] = {
        "summary": "the words for the public agenda, written by staff to be public "
        "(their notes for governors stay in the feedback service)",
        "reason": "the route's reasoning: the rule with its threshold and window, or that staff raised it",
    }

    escalation_id: Id = Field(description="Id of the escalation.")
    summary: str = Field(description="The words for the public agenda: a short summary written to be public.")
    reason: str = Field(description="Why it was escalated (by staff, safeguarding, a theme cluster …).")
    raised_by: Literal["staff", "safeguarding", "criticality", "theme_cluster"] = Field(
        description="Which route raised it."
    )
    themes: list[Code] = Field(default_factory=list, description="Themes of the linked feedback.")
    area: Code | None = Field(default=None, description="Area it concerns, if one.")
    feedback_ids: list[Id] = Field(default_factory=list, description="Ids of the linked feedback.")
    respond_by: date = Field(description="Date by which a response is expected.")
    raised_at: datetime = Field(description="When it was raised (UTC).")
    linked_feedback_count: int | None = Field(
        default=None, description="How many pieces of feedback are linked to it."
    )
    source_count: int | None = Field(
        default=None,
        description="How many distinct sources (community groups, pop-up forums, meetings, partner "
        "organisations) the linked feedback came from.",
    )


class EscalationAcknowledged(FeedbackEvent):
    """A governor acknowledged an escalation."""

    escalation_id: Id = Field(description="Id of the escalation.")
    governor: Id = Field(
        description="Who acknowledged it: the governor's account id in the feedback service, never their name."
    )
    acknowledged_at: datetime = Field(description="When (UTC).")


class EscalationOverdue(FeedbackEvent):
    """An escalation passed its respond-by date without a response (raised once)."""

    consumed_by: ClassVar[tuple[str, ...]] = ("governors", "meetings")

    free_text: ClassVar[Mapping[str, str]] = {
        "summary": "the escalation's public agenda words",
        "reason": "the route's reasoning, as when it was raised",
    }

    escalation_id: Id = Field(description="Id of the escalation.")
    summary: str = Field(description="The escalation's de-identified summary.")
    respond_by: date = Field(description="The date that passed.")
    reason: str | None = Field(default=None, description="Why it was escalated.")
    raised_by: Literal["staff", "safeguarding", "criticality", "theme_cluster"] | None = Field(
        default=None, description="Which route raised it."
    )
    themes: list[Code] = Field(default_factory=list, description="Themes of the linked feedback.")
    area: Code | None = Field(default=None, description="Area it concerns, if one.")
    feedback_ids: list[Id] = Field(default_factory=list, description="Ids of the linked feedback.")
    linked_feedback_count: int | None = Field(
        default=None, description="How many pieces of feedback are linked to it."
    )
    status: Code | None = Field(
        default=None, description="Its status when found overdue: raised or acknowledged."
    )
    raised_at: datetime | None = Field(default=None, description="When it was raised (UTC).")
    overdue_on: date | None = Field(
        default=None, description="The day the overdue check found it (the day after respond-by or later)."
    )


class FeedbackLinkedToEscalation(FeedbackEvent):
    """More feedback joined an open escalation (e.g. a theme raised again from another source)."""

    escalation_id: Id = Field(description="Id of the escalation.")
    feedback_ids: list[Id] = Field(description="Ids of the feedback that joined it now.")
    linked_feedback_count: int = Field(description="How many pieces of feedback are linked to it now.")
    source_count: int | None = Field(
        default=None, description="How many distinct sources the linked feedback now comes from."
    )
    linked_at: datetime = Field(description="When (UTC).")


class EscalationResolved(FeedbackEvent):
    """An escalation was resolved after its response: it can leave the agenda and the watch list."""

    consumed_by: ClassVar[tuple[str, ...]] = ("meetings",)

    escalation_id: Id = Field(description="Id of the escalation.")
    resolved_at: datetime = Field(description="When (UTC).")


class FeedbackResponded(FeedbackEvent):
    """Staff published a "you said, we did" response to feedback or an escalation."""

    free_text: ClassVar[Mapping[str, str]] = {
        "you_said": "the public 'you said' summary, published on the forum's pages",
        "we_did": "the public 'we did' answer, published on the forum's pages",
    }

    response_id: Id = Field(description="Id of the response.")
    feedback_ids: list[Id] = Field(default_factory=list, description="Feedback it answers.")
    escalation_id: Id | None = Field(default=None, description="The escalation it answers, if any.")
    outcome: Literal["no_change", "change_planned", "change_made"] = Field(
        description="What came of it."
    )
    responded_at: datetime = Field(description="When it was published (UTC).")
    you_said: str | None = Field(
        default=None, description="The public, de-identified summary of what people said."
    )
    we_did: str | None = Field(default=None, description="The public answer: what was or will be done.")
