"""Pure rules of feedback and escalation. Imports only the standard library and the kit's
framework-free refusal (`RuleBroken`, answered 422). Where an event contract names the values a
field may take, the enum here has exactly those values."""

from __future__ import annotations

import hashlib
import re
from collections import Counter
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


class RecordedBy(StrEnum):
    """Who recorded a piece of feedback, which decides what it may claim to speak for: the public
    (the form, or the API with no sign-in), staff, or a partner organisation's program."""

    public = "public"
    staff = "staff"
    partner = "partner"


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


ROUTE_WORDS = {
    RaisedBy.staff: "Raised by staff",
    RaisedBy.safeguarding: "Safeguarding concern",
    RaisedBy.criticality: "Rated most critical",
    RaisedBy.theme_cluster: "Theme raised by several sources",
}


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


REFERENCE_LENGTH = 8


def reference(record_id: str) -> str:
    """The short reference a person is shown and can quote (the start of the id)."""
    return record_id.replace("-", "")[:REFERENCE_LENGTH].upper()


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


_PLAIN_NAME = re.compile(r"[^\W\d_]+(?:[ '’.-]+[^\W\d_]+)*\.?")


def greeting_name(name: str | None) -> str | None:
    """A name as an email may greet someone by ("Dear Alex Smith"), or None. A name is typed into a
    public form beside an address nobody checked, so only letters, spaces, hyphens and apostrophes
    pass: never a link, a number or a message for whoever owns that address."""
    written = " ".join((name or "").split())
    return written if len(written) <= 60 and _PLAIN_NAME.fullmatch(written) else None


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


def recorded_by(role: str | None) -> RecordedBy:
    """What a sender may speak for, from their role (None: not signed in). Admins are staff;
    a governor giving feedback gives it as anyone does."""
    if role in ("staff", "admin"):
        return RecordedBy.staff
    if role == "partner":
        return RecordedBy.partner
    return RecordedBy.public


def require_may_speak_for_a_group(sender: RecordedBy) -> None:
    """Only staff and partner organisations' programs record a community group's view: anyone
    else could name any group, and made-up groups would look like the county agreeing."""
    if sender == RecordedBy.public:
        raise RuleBroken(
            "Only forum staff, or a partner organisation's program with its API token, may record a "
            "community group's view. Leave community_group_id out to give your own feedback: it is "
            "heard as feedback from the public."
        )


THE_PUBLIC = "public"
"""The one cluster source all feedback from the public shares: one person writing many times,
or many people writing once, are heard together as one voice of the public."""


def cluster_source(
    sender: RecordedBy, *, community_group_id: str | None, pop_up_id: str | None, meeting_id: str | None,
    partner_id: str | None,
) -> str:
    """The key that makes sources *distinct* for a theme cluster.

    Only what is vouched for counts as a source of its own: a community group in the directory
    (however its views arrive, directly or at pop-up forums it hosted), a pop-up forum or meeting
    whose views staff entered, a partner organisation's program. Whatever the public sends, links
    included, is `THE_PUBLIC`: links from the public are claims nobody checked.
    """
    if sender == RecordedBy.public:
        return THE_PUBLIC
    if community_group_id:
        return f"community_group:{community_group_id}"
    if pop_up_id:
        return f"pop_up_forum:{pop_up_id}"
    if meeting_id:
        return f"meeting:{meeting_id}"
    if partner_id:
        return f"partner:{partner_id}"
    return THE_PUBLIC


def counts_toward_escalation(polarity: str | None) -> bool:
    """Concerns raise escalations; praise belongs in reports as what is working, and feedback
    whose polarity nobody has said yet waits for triage to say it."""
    return polarity in (Polarity.negative, Polarity.mixed)


@dataclass(frozen=True)
class Voice:
    """One piece of feedback as a theme cluster sees it."""

    feedback_id: str
    source: str | None
    themes: tuple[str, ...]
    received_at: datetime
    polarity: str | None


def theme_cluster(
    voices: Iterable[Voice], theme: str, *, now: datetime, window_days: int, min_sources: int
) -> list[Voice] | None:
    """The voices that make `theme` a cluster worth escalating, or None if it is not one yet:
    at least `min_sources` distinct sources raised it as a concern within the last `window_days`."""
    since = now - timedelta(days=window_days)
    matching = [
        v for v in voices
        if theme in v.themes and v.source and counts_toward_escalation(v.polarity) and since <= v.received_at <= now
    ]
    if len({v.source for v in matching}) < min_sources:
        return None
    return sorted(matching, key=lambda v: v.received_at)


def distinct_sources(sources: Iterable[str | None]) -> int:
    return len({s for s in sources if s})


SOURCE_KEY_WORDS = {
    "community_group": ("community group", "community groups"),
    "pop_up_forum": ("pop-up forum", "pop-up forums"),
    "meeting": ("forum meeting", "forum meetings"),
    "partner": ("partner organisation", "partner organisations"),
}


def describe_sources(sources: Iterable[str | None]) -> str:
    """The distinct sources by kind, in words: "2 community groups, 1 pop-up forum, the public
    as one source"."""
    distinct = {s for s in sources if s}
    kinds = Counter(s.partition(":")[0] for s in distinct if s != THE_PUBLIC)
    parts = []
    for kind, (one, many) in SOURCE_KEY_WORDS.items():
        if kinds[kind]:
            parts.append(f"{kinds[kind]} {one if kinds[kind] == 1 else many}")
    if THE_PUBLIC in distinct:
        parts.append("the public as one source")
    return ", ".join(parts)


CLUSTER_RULE = (
    "Only concerns count, never praise. Each community group in the directory, pop-up forum, forum "
    "meeting or partner organisation whose views staff or the partner recorded counts once, however "
    "often it speaks; all feedback from the public together counts as one source."
)


def cluster_summary(theme: str, sources: Iterable[str | None], window_days: int) -> str:
    """The public words for a theme cluster's escalation (they go on the forum's public agenda)."""
    return f"“{theme}” raised by {distinct_sources(sources)} different sources within {window_days} days"


def cluster_reason(theme: str, sources: Iterable[str | None], *, window_days: int, min_sources: int) -> str:
    """Why a theme cluster reached governors: the sources that raised it, the window and the
    threshold, and the rule itself."""
    found = list(sources)
    return (
        f"{distinct_sources(found)} distinct verified sources ({describe_sources(found)}) raised “{theme}” "
        f"as a concern within {window_days} days; the forum escalates at {min_sources}. {CLUSTER_RULE}"
    )


RAISED_BY_STAFF = "Raised by staff"


def automatic_reason(route: RaisedBy, criticality: int | None, threshold: int) -> str:
    """Why feedback reached governors by itself, with the rule it met."""
    if route == RaisedBy.safeguarding:
        return (
            "The feedback was flagged as a safeguarding concern: someone may be at risk. The forum "
            "escalates every safeguarding concern as soon as it is recorded."
        )
    return f"Staff triage rated it {criticality} on a scale of 1 to 5; the forum escalates at {threshold} or above."


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
