"""Feedback tables."""

from sqlalchemy import JSON, Boolean, Column, Date, ForeignKey, String, Table, Text

from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

feedback = Table(
    "feedback",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("source", String(200), nullable=True),
    Column("area", String(100), nullable=True, index=True),
    Column("themes", JSON, nullable=False),
    Column("polarity", String(16), nullable=True),
    Column("safeguarding_concern", Boolean, nullable=False, default=False),
    Column("member_id", String(64), nullable=True, index=True),
    Column("contact_name", String(200), nullable=True),
    Column("contact_email", String(320), nullable=True),
    Column("contact_phone", String(50), nullable=True),
    Column("contact_consent", Boolean, nullable=False, default=False),
    Column("pop_up_id", String(64), nullable=True),
    Column("meeting_id", String(64), nullable=True),
    Column("community_group_id", String(64), nullable=True),
    Column("status", String(16), nullable=False),
    Column("received_at", UTCDateTime, nullable=False, index=True),
)

escalations = Table(
    "escalations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("summary", Text, nullable=False),
    Column("reason", Text, nullable=False),
    Column("raised_by", String(32), nullable=False),
    Column("themes", JSON, nullable=False),
    Column("area", String(100), nullable=True),
    Column("status", String(16), nullable=False),
    Column("respond_by", Date, nullable=False),
    Column("raised_at", UTCDateTime, nullable=False),
)

escalation_feedback = Table(
    "escalation_feedback",
    metadata,
    Column("escalation_id", String(36), ForeignKey("escalations.id"), primary_key=True),
    Column("feedback_id", String(36), ForeignKey("feedback.id"), primary_key=True),
)
