"""Membership tables."""

from sqlalchemy import JSON, Column, String, Table

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
    Column("area", String(100), nullable=True, index=True),
    Column("connections", JSON, nullable=False),
    Column("status", String(16), nullable=False),
    Column("joined_at", UTCDateTime, nullable=False),
)
