"""Tables and the queries the use cases need, one module per part of the job; every query returns
typed records (`meetings.records`). `metadata` is what this service's migrations are made from."""

from meetings.store.tables import (
    actions,
    agenda_items,
    community_groups,
    erased_members,
    meeting_attendees,
    meetings,
    metadata,
    pop_up_forums,
    registrations,
    role_holdings,
)

__all__ = [
    "actions",
    "agenda_items",
    "community_groups",
    "erased_members",
    "meeting_attendees",
    "meetings",
    "metadata",
    "pop_up_forums",
    "registrations",
    "role_holdings",
]
