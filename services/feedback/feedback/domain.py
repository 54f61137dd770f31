"""Pure rules of feedback and escalation. Imports only the standard library and the kit's
framework-free refusal (`RuleBroken`, answered 422). Where an event contract names the values a
field may take, the enum here has exactly those values."""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from forum_shared.errors import RuleBroken

MAX_TEXT = 5000
CRITICALITY_RANGE = (1, 5)


class Polarity(StrEnum):
    positive = "positive"
    negative = "negative"
    mixed = "mixed"


class Channel(StrEnum):
    online = "online"
    pop_up_forum = "pop_up_forum"
    meeting = "meeting"
    community_group = "community_group"
    partner = "partner"
    phone = "phone"
    letter = "letter"


class SourceKind(StrEnum):
    """Who feedback came from, de-identified."""

    individual = "individual"
    community_group = "community_group"
    pop_up_forum = "pop_up_forum"
    meeting = "meeting"
    partner_organisation = "partner_organisation"


class FeedbackStatus(StrEnum):
    new = "new"
    triaged = "triaged"
    responded = "responded"
    closed = "closed"


class EscalationStatus(StrEnum):
    raised = "raised"
    acknowledged = "acknowledged"
    responded = "responded"
    resolved = "resolved"


class RaisedBy(StrEnum):
    staff = "staff"
    safeguarding = "safeguarding"
    criticality = "criticality"
    theme_cluster = "theme_cluster"


class Outcome(StrEnum):
    no_change = "no_change"
    change_planned = "change_planned"
    change_made = "change_made"


OUTCOME_WORDS = {
    Outcome.no_change: "No change",
    Outcome.change_planned: "Change planned",
    Outcome.change_made: "Change made",
}

AWAITING_RESPONSE = (EscalationStatus.raised, EscalationStatus.acknowledged)
OPEN = (EscalationStatus.raised, EscalationStatus.acknowledged, EscalationStatus.responded)


@dataclass(frozen=True)
class Rules:
    """The service's tunable rules (from its settings), for use cases to apply."""

    respond_within_working_days: int = 20
    cluster_min_sources: int = 3
    cluster_window_days: int = 30
    escalate_at_criticality: int = 5
    time_zone: str = "Europe/London"

    def local_date(self, moment: datetime) -> date:
        """The calendar day `moment` falls on where the forum is (dates and months are local)."""
        return moment.astimezone(ZoneInfo(self.time_zone)).date()

    def respond_by(self, raised_at: datetime, is_bank_holiday: Callable[[date], bool]) -> date:
        return respond_by(self.local_date(raised_at), self.respond_within_working_days, is_bank_holiday)


def normalise_theme(theme: str) -> str:
    return " ".join(theme.split()).lower()


def respond_by(raised_on: date, working_days: int, is_bank_holiday: Callable[[date], bool]) -> date:
    """The date `working_days` working days after `raised_on`, skipping weekends and bank
    holidays (Healthwatch's escalation route expects a response within 20–30 days)."""
    day, left = raised_on, working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and not is_bank_holiday(day):
            left -= 1
    return day


def member_hash(member_id: str) -> str:
    """Erased members are remembered only as this, never by their id."""
    return hashlib.sha256(f"forum-member:{member_id}".encode()).hexdigest()


# -- where feedback came from ---------------------------------------------------------------
def source_kind(
    channel: str, *, community_group_id: str | None, pop_up_id: str | None, meeting_id: str | None,
    partner_id: str | None,
) -> SourceKind:
    """The de-identified kind of source, from the most specific link known."""
    if pop_up_id or channel == Channel.pop_up_forum:
        return SourceKind.pop_up_forum
    if community_group_id or channel == Channel.community_group:
        return SourceKind.community_group
    if meeting_id or channel == Channel.meeting:
        return SourceKind.meeting
    if partner_id or channel == Channel.partner:
        return SourceKind.partner_organisation
    return SourceKind.individual


def cluster_source(
    *, community_group_id: str | None, pop_up_id: str | None, meeting_id: str | None, partner_id: str | None
) -> str | None:
    """The key that makes sources *distinct* for a theme cluster, or None if it cannot count.

    A community group counts once however its views arrive (directly or at pop-up forums it
    hosted). Individuals do not count: one person writing three times is not three sources.
    """
    if community_group_id:
        return f"community_group:{community_group_id}"
    if pop_up_id:
        return f"pop_up_forum:{pop_up_id}"
    if meeting_id:
        return f"meeting:{meeting_id}"
    if partner_id:
        return f"partner:{partner_id}"
    return None


@dataclass(frozen=True)
class Voice:
    """One piece of feedback as a theme cluster sees it."""

    feedback_id: str
    source: str | None
    themes: tuple[str, ...]
    received_at: datetime


def theme_cluster(
    voices: Iterable[Voice], theme: str, *, now: datetime, window_days: int, min_sources: int
) -> list[Voice] | None:
    """The voices that make `theme` a cluster worth escalating, or None if it is not one yet:
    at least `min_sources` distinct sources raised it within the last `window_days`."""
    since = now - timedelta(days=window_days)
    matching = [
        v for v in voices if theme in v.themes and v.source and since <= v.received_at <= now
    ]
    if len({v.source for v in matching}) < min_sources:
        return None
    return sorted(matching, key=lambda v: v.received_at)


def distinct_sources(sources: Iterable[str | None]) -> int:
    return len({s for s in sources if s})


def common_area(areas: Iterable[str | None]) -> str | None:
    """The one area all the feedback is about, or None if it spans several (county-wide)."""
    found = set(areas)
    return found.pop() if len(found) == 1 else None


# -- automatic escalation -------------------------------------------------------------------
def automatic_route(*, safeguarding_concern: bool, criticality: int | None, threshold: int) -> RaisedBy | None:
    """Feedback escalates by itself when someone may be at risk or staff rate it most critical."""
    if safeguarding_concern:
        return RaisedBy.safeguarding
    if criticality is not None and criticality >= threshold:
        return RaisedBy.criticality
    return None


# -- feedback states ------------------------------------------------------------------------
def status_after_triage(current: str) -> FeedbackStatus:
    if current == FeedbackStatus.closed:
        raise RuleBroken("This feedback is closed; it cannot be triaged again.")
    return FeedbackStatus.triaged if current == FeedbackStatus.new else FeedbackStatus(current)


def status_after_response(current: str) -> FeedbackStatus:
    if current == FeedbackStatus.closed:
        raise RuleBroken("This feedback is closed; reopen is not possible, so respond to newer feedback.")
    return FeedbackStatus.responded


def status_after_closing(current: str) -> FeedbackStatus:
    if current == FeedbackStatus.closed:
        raise RuleBroken("This feedback is already closed.")
    return FeedbackStatus.closed


# -- escalation states ----------------------------------------------------------------------
def status_after_acknowledgement(current: str, acknowledged_by: str | None) -> EscalationStatus:
    if current == EscalationStatus.raised:
        return EscalationStatus.acknowledged
    if current == EscalationStatus.acknowledged:
        raise RuleBroken(f"This escalation was already acknowledged by {acknowledged_by}.")
    raise RuleBroken(f"This escalation is already {current}; there is nothing to acknowledge.")


def escalation_status_after_response(current: str) -> EscalationStatus:
    if current == EscalationStatus.resolved:
        raise RuleBroken("This escalation is resolved; respond to the feedback itself instead.")
    return EscalationStatus.responded


def require_open_to_more_feedback(current: str) -> None:
    """Feedback joins an escalation only while it is open."""
    if current == EscalationStatus.resolved:
        raise RuleBroken("This escalation is resolved; escalate the new feedback on its own instead.")


def status_after_resolution(current: str) -> EscalationStatus:
    if current == EscalationStatus.resolved:
        raise RuleBroken("This escalation is already resolved.")
    if current != EscalationStatus.responded:
        raise RuleBroken("Publish a response (“you said, we did”) before resolving this escalation.")
    return EscalationStatus.resolved


def is_overdue(status: str, respond_by_date: date, today: date) -> bool:
    """Past its respond-by date with no response yet."""
    return status in AWAITING_RESPONSE and today > respond_by_date


# -- public and exported views --------------------------------------------------------------
SOURCE_WORDS = {
    SourceKind.individual: "A member of the public",
    SourceKind.community_group: "A community group",
    SourceKind.pop_up_forum: "A pop-up forum",
    SourceKind.meeting: "A forum meeting",
    SourceKind.partner_organisation: "A partner organisation",
}


def describe_source(kind: str, *, group_name: str | None, area: str | None, month: str) -> str:
    """How a source reads in public: never a person, only the kind, a public group name, area
    and month — e.g. "A pop-up forum with Wisbech Mind, Fenland, March 2027"."""
    words = SOURCE_WORDS.get(SourceKind(kind), "Someone")
    if group_name and kind in (SourceKind.pop_up_forum, SourceKind.community_group):
        words = f"{words} with {group_name}" if kind == SourceKind.pop_up_forum else group_name
    return ", ".join(part for part in (words, area, month) if part)


def month_of(day: date) -> str:
    return f"{day:%Y-%m}"


def month_words(month: str) -> str:
    return datetime.strptime(month, "%Y-%m").strftime("%B %Y")
