"""The typed records the store returns and the use cases hand to the JSON API and the pages: one per
thing the service keeps (a piece of feedback, an escalation, a governor's note, a published
response, a theme) and the views built from them ("you said, we did", reports). Records never
change once made: a change makes a new one (`dataclasses.replace`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from feedback.domain import (
    Channel,
    EscalationStatus,
    FeedbackStatus,
    Outcome,
    Polarity,
    RaisedBy,
    RecordedBy,
    SourceKind,
)


@dataclass(frozen=True)
class Feedback:
    """A piece of feedback as staff see it. Contact details exist only when the person agreed;
    `criticality` is for staff only; `recorded_by` is who recorded it (the public, staff or a
    partner's program) and `cluster_source` what makes sources distinct for a theme cluster (see
    `domain.cluster_source`)."""

    id: str
    text: str
    channel: Channel
    recorded_by: RecordedBy
    source: str | None
    source_kind: SourceKind
    cluster_source: str | None
    area: str | None
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    polarity: Polarity | None
    safeguarding_concern: bool
    criticality: int | None
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
    triaged_at: datetime | None = None
    closed_at: datetime | None = None
    anonymised_at: datetime | None = None
    escalation_ids: tuple[str, ...] = ()


@dataclass(frozen=True)
class Escalation:
    """An issue raised with governors, with the feedback linked to it. `summary` is the words for
    the public agenda; `reason` why it reached governors (the route's rule, with its threshold
    and window); `notes_for_governors` what staff wrote for governors only (never published).
    `overdue` is as of the day it was read."""

    id: str
    summary: str
    reason: str
    notes_for_governors: str | None
    raised_by: RaisedBy
    themes: tuple[str, ...]
    area: str | None
    cluster_theme: str | None
    status: EscalationStatus
    respond_by: date
    raised_at: datetime
    acknowledged_by: str | None
    acknowledged_by_id: str | None
    acknowledged_at: datetime | None
    responded_at: datetime | None
    resolved_at: datetime | None
    overdue_at: datetime | None
    feedback_ids: tuple[str, ...]
    source_count: int
    overdue: bool

    @property
    def linked_feedback_count(self) -> int:
        return len(self.feedback_ids)


@dataclass(frozen=True)
class Note:
    """A governor's note on an escalation (kept in this service; never published)."""

    id: str
    escalation_id: str
    governor: str
    text: str
    added_at: datetime


@dataclass(frozen=True)
class Response:
    """A published "you said, we did" response, as staff see it (who wrote it included)."""

    id: str
    escalation_id: str | None
    you_said: str
    we_did: str
    outcome: Outcome
    responded_by: str | None
    responded_at: datetime
    feedback_ids: tuple[str, ...]


@dataclass(frozen=True)
class EscalationInFull(Escalation):
    """An escalation with its governors' notes and published responses, oldest first."""

    notes: tuple[Note, ...] = ()
    responses: tuple[Response, ...] = ()


@dataclass(frozen=True)
class Contact:
    """Someone who gave a piece of feedback with an email address and agreed to be contacted
    about it."""

    feedback_id: str
    email: str
    name: str | None
    received_at: datetime


@dataclass(frozen=True)
class EmailChoices:
    """Which escalation emails a governor gets, and the address they go to. A choice they made
    but then stopped with an email's unsubscribe link shows as off."""

    address: str
    new_escalations: bool
    overdue_escalations: bool


@dataclass(frozen=True)
class Theme:
    name: str
    active: bool


@dataclass(frozen=True)
class CommunityGroup:
    """A community group listed in the signposting directory, as this service knows it: the
    groups whose views staff and partners may record."""

    id: str
    name: str | None
    areas: tuple[str, ...]


@dataclass(frozen=True)
class PopUpForum:
    """A pop-up forum the meetings service told us about: its host group and area."""

    id: str
    community_group_id: str
    held_on: date
    area: str | None


@dataclass(frozen=True)
class AnsweredVoice:
    """What may be said in public about one piece of feedback a response answers: never its
    words, who gave it, contact details or the staff-only criticality. `group_name` is set only
    while the group is listed in the directory."""

    source_kind: SourceKind
    area: str | None
    themes: tuple[str, ...]
    received_at: datetime
    group_name: str | None


@dataclass(frozen=True)
class SourceTrace:
    """Where some of the voices came from, with no one identified."""

    description: str
    kind: SourceKind
    area: str | None
    month: str
    voices: int


@dataclass(frozen=True)
class PublishedResponse:
    """A response as anyone may read it on "you said, we did"."""

    id: str
    you_said: str
    we_did: str
    outcome: Outcome
    outcome_words: str
    responded_at: datetime
    themes: tuple[str, ...]
    escalated: bool
    voices: int
    sources: tuple[SourceTrace, ...]


@dataclass(frozen=True)
class EscalationCounts:
    open: int
    awaiting_response: int
    overdue: int
    resolved: int
    by_route: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Report:
    """Counts of feedback received, and of escalations raised, between two dates (inclusive).
    Praise is counted as what is working (`praise`, and `whats_working` by theme): it never
    counts toward an escalation."""

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
    whats_working: dict[str, int] = field(default_factory=dict)
    praise: int = 0


@dataclass(frozen=True)
class ReceivedFeedback:
    """What a report counts of one piece of feedback."""

    themes: tuple[str, ...]
    area: str | None
    source_kind: SourceKind
    channel: Channel
    polarity: Polarity | None
    received_at: datetime


@dataclass(frozen=True)
class RaisedEscalation:
    """What a report counts of one escalation."""

    status: EscalationStatus
    respond_by: date
    raised_by: RaisedBy


@dataclass(frozen=True)
class ExportedFeedback:
    """One row of the anonymised export: nothing that identifies someone (member id, contact
    details, the free words about the source, who entered it) and no staff-only criticality."""

    id: str
    received_at: datetime
    channel: Channel
    source_kind: SourceKind
    group_name: str | None
    pop_up_id: str | None
    meeting_id: str | None
    area: str | None
    themes: tuple[str, ...]
    tags: tuple[str, ...]
    polarity: Polarity | None
    safeguarding_concern: bool
    status: FeedbackStatus
    escalated: bool
    text: str
