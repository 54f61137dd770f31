"""Tables and the queries the use cases need, one module per part of the job; every query returns
typed records (`feedback.records`). `metadata` is what this service's migrations are made from."""

from feedback.store.tables import (
    community_groups,
    erased_members,
    escalation_feedback,
    escalation_notes,
    escalations,
    feedback,
    governor_email_choices,
    metadata,
    pop_up_forums,
    response_feedback,
    responses,
    themes,
)

__all__ = [
    "community_groups",
    "erased_members",
    "escalation_feedback",
    "escalation_notes",
    "escalations",
    "feedback",
    "governor_email_choices",
    "metadata",
    "pop_up_forums",
    "response_feedback",
    "responses",
    "themes",
]
