"""What the feedback pages share: the county's areas, words for statuses, small readers."""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import Request

from feedback.domain import (
    CLUSTER_RULE,
    OUTCOME_WORDS,
    ROUTE_WORDS,
    Channel,
    EscalationStatus,
    FeedbackStatus,
    Outcome,
    Polarity,
    RaisedBy,
    RecordedBy,
    reference,
)
from forum_shared.areas import DISTRICTS

AREAS = list(DISTRICTS)

STATUS_WORDS = {
    FeedbackStatus.new: "New",
    FeedbackStatus.triaged: "Triaged",
    FeedbackStatus.responded: "Responded",
    FeedbackStatus.closed: "Closed",
}
STATUS_COLOURS = {
    FeedbackStatus.new: "blue",
    FeedbackStatus.triaged: "orange",
    FeedbackStatus.responded: "green",
    FeedbackStatus.closed: "grey",
}
ESCALATION_WORDS = {
    EscalationStatus.raised: "Awaiting acknowledgement",
    EscalationStatus.acknowledged: "Acknowledged",
    EscalationStatus.responded: "Responded",
    EscalationStatus.resolved: "Resolved",
}
ESCALATION_COLOURS = {
    EscalationStatus.raised: "red",
    EscalationStatus.acknowledged: "orange",
    EscalationStatus.responded: "green",
    EscalationStatus.resolved: "grey",
}
# How each automatic route decides, for the escalation's pages (its reason says what it found).
RULE_WORDS = {
    RaisedBy.theme_cluster: CLUSTER_RULE,
}
RECORDED_BY_WORDS = {
    RecordedBy.public: "A member of the public (the form, or the API without signing in)",
    RecordedBy.staff: "Forum staff",
    RecordedBy.partner: "A partner organisation's program",
}
POLARITY_OPTIONS = [
    (Polarity.negative.value, "A concern"), (Polarity.positive.value, "Praise"), (Polarity.mixed.value, "Both")
]
OUTCOME_OPTIONS = [(o.value, OUTCOME_WORDS[o]) for o in Outcome]
CHANNEL_WORDS = {
    Channel.online: "Online form", Channel.pop_up_forum: "Pop-up forum", Channel.meeting: "Forum meeting",
    Channel.community_group: "Community group", Channel.partner: "Partner organisation", Channel.phone: "Phone",
    Channel.letter: "Letter",
}

# What the staff and governors' templates are given to word and link what they show.
STAFF_WORDS: dict[str, Any] = {
    "status_words": STATUS_WORDS, "status_colours": STATUS_COLOURS, "escalation_words": ESCALATION_WORDS,
    "escalation_colours": ESCALATION_COLOURS, "route_words": ROUTE_WORDS, "channel_words": CHANNEL_WORDS,
    "rule_words": RULE_WORDS, "recorded_by_words": RECORDED_BY_WORDS, "reference": reference,
}
GOVERNOR_WORDS: dict[str, Any] = {
    "escalation_words": ESCALATION_WORDS, "escalation_colours": ESCALATION_COLOURS, "route_words": ROUTE_WORDS,
    "rule_words": RULE_WORDS, "reference": reference, "link": "/governors",
}


def area_options(extra: str | None = None) -> list[tuple[str, str]]:
    """The county's areas, plus an area already on a record that is not among them."""
    names = list(AREAS)
    if extra and extra not in names:
        names.append(extra)
    return [(a, a) for a in names]


def query_date(request: Request, name: str) -> tuple[date | None, str | None]:
    """An optional yyyy-mm-dd date from the query string, or an error to show beside its field."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, "Enter a real date, like 2026-03-31"
