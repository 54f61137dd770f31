"""The kit's own tables, present in every service's database beside its domain tables."""

from sqlalchemy import JSON, BigInteger, Column, Integer, String, Table, Text, UniqueConstraint

from forum_shared.db import UTCDateTime, new_metadata

kit_metadata = new_metadata()

# Events waiting to be published, written in the same transaction as the change they report.
outbox = Table(
    "outbox",
    kit_metadata,
    Column("position", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("event_id", String(64), nullable=False, unique=True),
    Column("subject", String(255), nullable=False),
    Column("headers", JSON, nullable=False),
    Column("body", Text, nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("published_at", UTCDateTime, nullable=True, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
)

# Events a consumer has processed, recorded with the effect so a redelivery is skipped.
inbox = Table(
    "inbox",
    kit_metadata,
    Column("consumer", String(128), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", UTCDateTime, nullable=False),
)

# Events a consumer could not process after its retries: kept, visible and replayable.
dead_letters = Table(
    "dead_letters",
    kit_metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("consumer", String(128), nullable=False),
    Column("event_id", String(64), nullable=True),
    Column("subject", String(255), nullable=False),
    Column("headers", JSON, nullable=False),
    Column("body", Text, nullable=False),
    Column("error", Text, nullable=False),
    Column("attempts", Integer, nullable=False),
    Column("status", String(16), nullable=False, default="dead"),
    Column("dead_at", UTCDateTime, nullable=False),
    Column("replayed_at", UTCDateTime, nullable=True),
    UniqueConstraint("consumer", "subject", "event_id", name="uq_dead_letters_consumer_event"),
)
