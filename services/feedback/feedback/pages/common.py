"""What the feedback pages share: the county's areas, words for statuses, small readers."""

from __future__ import annotations

from datetime import date

from fastapi import Request

from feedback.domain import OUTCOME_WORDS, Outcome
from forum_shared.areas import DISTRICTS

AREAS = list(DISTRICTS)

STATUS_WORDS = {"new": "New", "triaged": "Triaged", "responded": "Responded", "closed": "Closed"}
STATUS_COLOURS = {"new": "blue", "triaged": "orange", "responded": "green", "closed": "grey"}
ESCALATION_WORDS = {
    "raised": "Awaiting acknowledgement",
    "acknowledged": "Acknowledged",
    "responded": "Responded",
    "resolved": "Resolved",
}
ESCALATION_COLOURS = {"raised": "red", "acknowledged": "orange", "responded": "green", "resolved": "grey"}
ROUTE_WORDS = {
    "staff": "Raised by staff",
    "safeguarding": "Safeguarding concern",
    "criticality": "Rated most critical",
    "theme_cluster": "Theme raised by several groups",
}
POLARITY_OPTIONS = [("negative", "A concern"), ("positive", "Praise"), ("mixed", "Both")]
OUTCOME_OPTIONS = [(o.value, OUTCOME_WORDS[o]) for o in Outcome]
CHANNEL_WORDS = {
    "online": "Online form", "pop_up_forum": "Pop-up forum", "meeting": "Forum meeting",
    "community_group": "Community group", "partner": "Partner organisation", "phone": "Phone", "letter": "Letter",
}


def area_options(extra: str | None = None) -> list[tuple[str, str]]:
    """The county's areas, plus an area already on a record that is not among them."""
    names = list(AREAS)
    if extra and extra not in names:
        names.append(extra)
    return [(a, a) for a in names]


def reference(feedback_id: str) -> str:
    """A short reference a person can quote (the start of the id)."""
    return feedback_id.replace("-", "")[:8].upper()


def query_date(request: Request, name: str) -> tuple[date | None, str | None]:
    """An optional yyyy-mm-dd date from the query string, or an error to show beside its field."""
    raw = request.query_params.get(name, "").strip()
    if not raw:
        return None, None
    try:
        return date.fromisoformat(raw), None
    except ValueError:
        return None, "Enter a real date, like 2026-03-31"
