"""Meetings tables."""

from sqlalchemy import Boolean, Column, ForeignKey, Integer, String, Table, Text

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
    Column("area", String(100), nullable=True),
    Column("online_url", String(500), nullable=True),
    Column("public", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
)

# An agenda item with no meeting is waiting for the next forum meeting to be scheduled.
agenda_items = Table(
    "agenda_items",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("meeting_id", String(36), ForeignKey("meetings.id"), nullable=True, index=True),
    Column("title", Text, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("escalation_id", String(64), nullable=True, unique=True),
    Column("presenter", String(200), nullable=True),
    Column("duration_minutes", Integer, nullable=True),
    Column("added_at", UTCDateTime, nullable=False),
)
