"""Membership tables.

Time given is kept in hundredths of an hour and money in pence (whole numbers), so statements and
the finance export add up exactly on SQLite and PostgreSQL alike.
"""

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

members = Table(
    "members",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("display_name", String(200), nullable=False),
    # Stored lower-cased so uniqueness is case-insensitive on SQLite and PostgreSQL alike.
    Column("email", String(320), nullable=True, unique=True),
    Column("phone", String(50), nullable=True),
    Column("postal_address", Text, nullable=True),
    Column("preferred_channel", String(16), nullable=True),
    Column("area", String(100), nullable=True, index=True),
    Column("connections", JSON, nullable=False),
    Column("access_needs", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("joined_at", UTCDateTime, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
    Column("left_at", UTCDateTime, nullable=True),
)

# Each answer a member gave about a use of their details, with when they gave it; the newest
# answer per purpose is the one that counts, and the history shows what they agreed to when.
consents = Table(
    "consents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False, index=True),
    Column("purpose", String(40), nullable=False),
    Column("given", Boolean, nullable=False),
    Column("given_at", UTCDateTime, nullable=False),
)

# Erased members leave only their id and the time, so a late event about them is recognised and
# ignored rather than bringing them back.
erasures = Table(
    "erasures",
    metadata,
    Column("member_id", String(36), primary_key=True),
    Column("erased_at", UTCDateTime, nullable=False),
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("name_key", String(200), nullable=False, unique=True),
    Column("kind", String(100), nullable=False),
    Column("description", Text, nullable=True),
    Column("website", String(500), nullable=True),
    Column("area", String(100), nullable=True),
    Column("joined_at", UTCDateTime, nullable=False),
)

representatives = Table(
    "representatives",
    metadata,
    Column("organisation_id", String(36), ForeignKey("organisations.id"), primary_key=True),
    Column("member_id", String(36), ForeignKey("members.id"), primary_key=True, index=True),
    Column("position", String(200), nullable=True),
    Column("since", UTCDateTime, nullable=False),
)

roles = Table(
    "roles",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("title", String(200), nullable=False),
    Column("description", Text, nullable=False),
    Column("hours_per_month_hundredths", Integer, nullable=False),
    Column("paid", Boolean, nullable=False),
    Column("hourly_rate_pence", Integer, nullable=False),
    Column("vacancies", Integer, nullable=False),
    Column("closing_date", Date, nullable=True),
    Column("advertised_at", UTCDateTime, nullable=False),
)

interests = Table(
    "interests",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("role_id", String(36), ForeignKey("roles.id"), nullable=False),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False, index=True),
    Column("note", Text, nullable=False),
    Column("would_like_a_chat", Boolean, nullable=False),
    Column("status", String(16), nullable=False),
    Column("chat_on", Date, nullable=True),
    Column("chat_note", Text, nullable=True),
    Column("expressed_at", UTCDateTime, nullable=False),
    UniqueConstraint("role_id", "member_id", name="uq_interests_role_member"),
)

# Who held which role when: a row per holding, never overwritten, so the history stays whole.
assignments = Table(
    "assignments",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("role_id", String(36), ForeignKey("roles.id"), nullable=False, index=True),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False, index=True),
    Column("starts_on", Date, nullable=False),
    Column("ends_on", Date, nullable=True),
    Column("assigned_at", UTCDateTime, nullable=False),
    Column("ended_at", UTCDateTime, nullable=True),
)

involvement_entries = Table(
    "involvement_entries",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("worked_on", Date, nullable=False),
    Column("hours_hundredths", Integer, nullable=False),
    Column("assignment_id", String(36), ForeignKey("assignments.id"), nullable=True),
    # The rate is copied when the time is recorded, so a later change never rewrites past pay.
    Column("paid", Boolean, nullable=False),
    Column("hourly_rate_pence", Integer, nullable=False),
    Column("source", String(16), nullable=False),  # meeting, pop_up or staff
    Column("source_id", String(64), nullable=True),  # the meeting or pop-up forum
    Column("source_event_id", String(64), nullable=True),
    Column("note", Text, nullable=True),
    Column("recorded_at", UTCDateTime, nullable=False),
    # One entry per member per meeting or pop-up forum, even if its event arrives twice or is
    # published again under a new id. Entries made by hand have no source id, so never collide.
    UniqueConstraint("source", "source_id", "member_id", name="uq_involvement_entries_source_member"),
    Index("ix_involvement_entries_member_worked_on", "member_id", "worked_on"),
    Index("ix_involvement_entries_worked_on", "worked_on"),
)

# Links emailed to members to sign in: each works once, for a few minutes. Only the SHA-256 of the
# link's token is kept, so a copy of the database cannot be used to sign in; `next_url` is where
# the member asked to go afterwards (a path here or another of the forum's sites, checked first).
member_sign_in_links = Table(
    "member_sign_in_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False),
    Column("next_url", String(2000), nullable=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False),
    Column("used_at", UTCDateTime, nullable=True),
    Index("ix_member_sign_in_links_member_created", "member_id", "created_at"),
)

# Members signed in in a browser: the cookie holds a random token, the row its SHA-256; signing
# out or erasure deletes the row, which ends the sign-in at once.
member_sessions = Table(
    "member_sessions",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("member_id", String(36), ForeignKey("members.id"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)
