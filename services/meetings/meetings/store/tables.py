"""The meetings service's tables: forum meetings, registrations, agenda, actions, pop-up forums,
and the read models kept from other services' events (community groups, involvement-role holders).
Only the store's modules touch them; migrations are made from `metadata`."""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    Float,
    ForeignKey,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from forum_shared.community_groups import community_groups_table
from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

meetings = Table(
    "meetings",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("starts_at", UTCDateTime, nullable=False, index=True),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("venue", String(300), nullable=True),
    Column("address", String(500), nullable=True),
    Column("area", String(100), nullable=True, index=True),
    Column("online_url", String(500), nullable=True),
    Column("public", Boolean, nullable=False),
    Column("capacity", Integer, nullable=True),
    Column("access_services", JSON, nullable=False),
    Column("access_notes", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("cancel_reason", Text, nullable=True),
    # iCalendar SEQUENCE: goes up on every change people's calendars must pick up.
    Column("sequence", Integer, nullable=False, default=0),
    Column("created_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("reminder_sent_at", UTCDateTime, nullable=True),
    Column("held_on", Date, nullable=True),
    Column("hours", Float, nullable=True),
    Column("public_attendees", Integer, nullable=True),
    Column("minutes", Text, nullable=True),
)

meeting_attendees = Table(
    "meeting_attendees",
    metadata,
    Column("meeting_id", String(36), ForeignKey("meetings.id"), primary_key=True),
    Column("member_id", String(64), primary_key=True),
)

# Members register by id only; members of the public give a name and, if they wish, a contact.
registrations = Table(
    "registrations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("meeting_id", String(36), ForeignKey("meetings.id"), nullable=False, index=True),
    Column("queue_number", Integer, nullable=False),
    Column("member_id", String(64), nullable=True, index=True),
    Column("name", String(200), nullable=True),
    Column("contact_email", String(320), nullable=True),
    Column("contact_phone", String(50), nullable=True),
    Column("access_needs", JSON, nullable=False),
    Column("access_notes", Text, nullable=True),
    Column("status", String(16), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
    Column("promoted_at", UTCDateTime, nullable=True),
    Column("cancelled_at", UTCDateTime, nullable=True),
    UniqueConstraint("meeting_id", "queue_number", name="uq_registrations_meeting_queue"),
)

# An agenda item with no meeting is waiting for the next forum meeting to be scheduled.
agenda_items = Table(
    "agenda_items",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("meeting_id", String(36), ForeignKey("meetings.id"), nullable=True, index=True),
    Column("position", Integer, nullable=False, default=0),
    Column("title", Text, nullable=False),
    Column("kind", String(24), nullable=False),
    Column("escalation_id", String(64), nullable=True, index=True),
    Column("action_id", String(36), nullable=True),
    Column("respond_by", Date, nullable=True),
    Column("overdue", Boolean, nullable=False, default=False),
    Column("presenter", String(200), nullable=True),
    Column("duration_minutes", Integer, nullable=True),
    Column("added_at", UTCDateTime, nullable=False),
    UniqueConstraint("escalation_id", "kind", name="uq_agenda_items_escalation_kind"),
)

actions = Table(
    "actions",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("meeting_id", String(36), ForeignKey("meetings.id"), nullable=False, index=True),
    Column("description", Text, nullable=False),
    Column("owner_name", String(200), nullable=False),
    Column("due_on", Date, nullable=True),
    Column("status", String(16), nullable=False),
    Column("agreed_at", UTCDateTime, nullable=False),
    Column("completed_on", Date, nullable=True),
)

pop_up_forums = Table(
    "pop_up_forums",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("community_group_id", String(64), nullable=False, index=True),
    Column("facilitator_member_ids", JSON, nullable=False),
    Column("starts_at", UTCDateTime, nullable=False, index=True),
    Column("ends_at", UTCDateTime, nullable=False),
    Column("venue", String(300), nullable=True),
    Column("area", String(100), nullable=True),
    Column("topics", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("cancel_reason", Text, nullable=True),
    Column("held_on", Date, nullable=True),
    Column("hours", Float, nullable=True),
    Column("participants", Integer, nullable=True),
    Column("shared", Text, nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
)

# Read model from signposting's events, kept the same way as in feedback.
community_groups = community_groups_table(metadata)

# Read model from membership's events: who holds an involvement role, and from when to when.
role_holdings = Table(
    "role_holdings",
    metadata,
    Column("assignment_id", String(64), primary_key=True),
    Column("member_id", String(64), nullable=False, index=True),
    Column("role_id", String(64), nullable=False),
    Column("role_title", String(200), nullable=True),
    Column("starts_on", Date, nullable=True),
    Column("ends_on", Date, nullable=True),
)

# Members who asked to be forgotten: their id is the only trace kept, so that a late event
# about them is not recorded again.
erased_members = Table(
    "erased_members",
    metadata,
    Column("member_id", String(64), primary_key=True),
    Column("erased_at", UTCDateTime, nullable=False),
)


# Escalations resolved, remembered so that an `IssueEscalated` or `EscalationOverdue` that arrives
# after the resolution (each event type has a consumer of its own) does not put it on an agenda.
resolved_escalations = Table(
    "resolved_escalations",
    metadata,
    Column("escalation_id", String(64), primary_key=True),
    Column("resolved_at", UTCDateTime, nullable=False),
)
