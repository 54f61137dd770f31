"""Signposting tables."""

from sqlalchemy import Column, ForeignKey, String, Table, Text

from forum_shared.db import UTCDateTime, new_metadata

metadata = new_metadata()

community_groups = Table(
    "community_groups",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("description", Text, nullable=True),
    Column("email", String(320), nullable=True),
    Column("phone", String(50), nullable=True),
    Column("website", String(500), nullable=True),
    Column("status", String(16), nullable=False),
    Column("registered_at", UTCDateTime, nullable=False),
)

group_areas = Table(
    "group_areas",
    metadata,
    Column("group_id", String(36), ForeignKey("community_groups.id"), primary_key=True),
    Column("area", String(100), primary_key=True, index=True),
)
