"""The feedback service's own tables, and its read models of other services' events."""

from typing import Any, cast

from sqlalchemy import JSON, Boolean, Column, CursorResult, Date, ForeignKey, Integer, Result, String, Table, Text

from forum_shared.community_groups import community_groups_table
from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

feedback = Table(
    "feedback",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    # The public, staff or a partner's program: what the feedback may speak for (domain.RecordedBy).
    Column("recorded_by", String(16), nullable=False),
    # Free words about the source; staff only, cleared on erasure (they may name someone).
    Column("source", String(200), nullable=True),
    Column("source_kind", String(32), nullable=False),
    # What makes sources distinct for a theme cluster (see domain.cluster_source).
    Column("cluster_source", String(100), nullable=True),
    Column("area", String(100), nullable=True, index=True),
    Column("themes", JSON, nullable=False),
    Column("tags", JSON, nullable=False),
    Column("polarity", String(16), nullable=True),
    Column("safeguarding_concern", Boolean, nullable=False, default=False),
    Column("criticality", Integer, nullable=True),
    Column("member_id", String(64), nullable=True, index=True),
    Column("contact_name", String(200), nullable=True),
    Column("contact_email", String(320), nullable=True),
    Column("contact_phone", String(50), nullable=True),
    Column("contact_consent", Boolean, nullable=False, default=False),
    Column("pop_up_id", String(64), nullable=True, index=True),
    Column("meeting_id", String(64), nullable=True),
    Column("community_group_id", String(64), nullable=True),
    Column("partner_id", String(36), nullable=True),
    Column("entered_by", String(200), nullable=True),
    Column("status", String(16), nullable=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
    Column("triaged_at", UTCDateTime, nullable=True),
    Column("closed_at", UTCDateTime, nullable=True),
    Column("anonymised_at", UTCDateTime, nullable=True),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", String(36), primary_key=True),
    # The words for the public agenda of the next forum meeting.
    Column("summary", Text, nullable=False),
    # The route's reasoning: the rule with its threshold and window, or that staff raised it.
    Column("reason", Text, nullable=False),
    # What staff wrote for governors only: shown on this service's governors' and staff pages,
    # never published.
    Column("notes_for_governors", Text, nullable=True),
    Column("raised_by", String(32), nullable=False),
    Column("themes", JSON, nullable=False),
    Column("area", String(100), nullable=True),
    # Set only for theme-cluster escalations: the theme whose scattered voices it joins up.
    Column("cluster_theme", String(100), nullable=True, index=True),
    Column("status", String(16), nullable=False, index=True),
    Column("respond_by", Date, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
    # The governor's name, for this service's pages; events name them only by their account id.
    Column("acknowledged_by", String(200), nullable=True),
    Column("acknowledged_by_id", String(64), nullable=True),
    Column("acknowledged_at", UTCDateTime, nullable=True),
    Column("responded_at", UTCDateTime, nullable=True),
    Column("resolved_at", UTCDateTime, nullable=True),
    Column("overdue_at", UTCDateTime, nullable=True),
)

escalation_feedback = Table(
    "escalation_feedback",
    metadata,
    Column("escalation_id", String(36), ForeignKey("escalations.id"), primary_key=True),
    Column("feedback_id", String(36), ForeignKey("feedback.id"), primary_key=True),
    Column("linked_at", UTCDateTime, nullable=True),
)

escalation_notes = Table(
    "escalation_notes",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("escalation_id", String(36), ForeignKey("escalations.id"), nullable=False, index=True),
    Column("governor", String(200), nullable=False),
    Column("text", Text, nullable=False),
    Column("added_at", UTCDateTime, nullable=False),
)

responses = Table(
    "responses",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("escalation_id", String(36), ForeignKey("escalations.id"), nullable=True, index=True),
    Column("you_said", Text, nullable=False),
    Column("we_did", Text, nullable=False),
    Column("outcome", String(32), nullable=False),
    Column("responded_by", String(200), nullable=True),
    Column("responded_at", UTCDateTime, nullable=False, index=True),
)

response_feedback = Table(
    "response_feedback",
    metadata,
    Column("response_id", String(36), ForeignKey("responses.id"), primary_key=True),
    Column("feedback_id", String(36), ForeignKey("feedback.id"), primary_key=True),
)

themes = Table(
    "themes",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("active", Boolean, nullable=False, default=True),
    Column("added_at", UTCDateTime, nullable=False),
)

# Which escalation emails each governor asked for (both off until they opt in). A governor is a
# kit account (`forum_shared.tables.accounts`, role governor) of this service; their address is
# read from the account when an email is queued, so it is never copied here.
governor_email_choices = Table(
    "governor_email_choices",
    metadata,
    Column("account_id", String(36), primary_key=True),
    Column("new_escalations", Boolean, nullable=False, default=False),
    Column("overdue_escalations", Boolean, nullable=False, default=False),
    Column("changed_at", UTCDateTime, nullable=False),
)

# Read models of other services' events.
pop_up_forums = Table(
    "pop_up_forums",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("community_group_id", String(64), nullable=False),
    Column("held_on", Date, nullable=False),
    Column("area", String(100), nullable=True),
)

# Kept the same way as in meetings: whatever order signposting's events arrive in.
community_groups = community_groups_table(metadata)

# Members who asked to be forgotten, as a SHA-256 of their id, so feedback that arrives late
# with their id is stored anonymously too.
erased_members = Table(
    "erased_members",
    metadata,
    Column("member_hash", String(64), primary_key=True),
    Column("erased_at", UTCDateTime, nullable=False),
)


def rows_changed(result: Result[Any]) -> int:
    """How many rows an UPDATE or DELETE changed (its result is a cursor result)."""
    return cast(CursorResult[Any], result).rowcount
