"""The kit's own tables, present in every service's database beside its domain tables."""

from sqlalchemy import JSON, BigInteger, Column, ForeignKey, Index, Integer, String, Table, Text, UniqueConstraint

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
    Column("published_at", UTCDateTime, nullable=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
)

# The relay's next rows: only the unpublished ones are in it, so finding them stays quick however
# many published rows the table keeps.
Index(
    "ix_outbox_unpublished", outbox.c.position,
    postgresql_where=outbox.c.published_at.is_(None), sqlite_where=outbox.c.published_at.is_(None),
)

# Events a consumer has processed, recorded with the effect so a redelivery is skipped.
inbox = Table(
    "inbox",
    kit_metadata,
    Column("consumer", String(128), primary_key=True),
    Column("event_id", String(64), primary_key=True),
    Column("processed_at", UTCDateTime, nullable=False),
)

# How far each consumer has got in its inbound stream, written with each event's effect. When NATS
# says a consumer got further than this database knows (a new or restored database), the consumer
# reads its stream again from the start and the inbox skips what this database already has.
consumer_positions = Table(
    "consumer_positions",
    kit_metadata,
    Column("consumer", String(128), primary_key=True),
    Column("stream_sequence", BigInteger, nullable=False),
    Column("updated_at", UTCDateTime, nullable=False),
)

# Requests a client may send again (`Idempotency-Key`): the key is written in the same transaction
# as the change the first request made, so a retry finds it and gets the first answer back, and
# two copies racing each other cannot both commit.
idempotency_keys = Table(
    "idempotency_keys",
    kit_metadata,
    Column("key", String(300), primary_key=True),  # who sent it (hashed) and the client's key
    Column("fingerprint", String(64), nullable=False),  # method, path and body, hashed
    Column("created_at", UTCDateTime, nullable=False, index=True),
    Column("status_code", Integer, nullable=True),  # the first answer, once it was sent
    Column("response_headers", JSON, nullable=True),
    Column("response_body", Text, nullable=True),
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

# People who sign in to this service's pages. Each partner runs its own service, so its own accounts.
accounts = Table(
    "accounts",
    kit_metadata,
    Column("id", String(36), primary_key=True),
    Column("email", String(320), nullable=False, unique=True),  # stored lower-case
    Column("name", String(200), nullable=False),
    Column("password_hash", String(255), nullable=False),  # argon2id, never the password
    Column("role", String(16), nullable=False),  # admin | staff | governor
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_signed_in_at", UTCDateTime, nullable=True),
    Column("disabled_at", UTCDateTime, nullable=True),
)

# Signed-in browsers. The cookie holds a random token; only its SHA-256 is kept, so a copy of the
# database cannot be used to sign in, and deleting the row signs the browser out at once.
web_sessions = Table(
    "web_sessions",
    kit_metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_id", String(36), ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False, index=True),
    Column("created_at", UTCDateTime, nullable=False),
    Column("last_seen_at", UTCDateTime, nullable=False),
    Column("expires_at", UTCDateTime, nullable=False, index=True),
)

# Wrong passwords in a row per email, kept for unknown emails too so a lock-out does not reveal
# whether an account exists. Keyed by a hash of the email, not the email itself.
sign_in_failures = Table(
    "sign_in_failures",
    kit_metadata,
    Column("email_hash", String(64), primary_key=True),
    Column("failures", Integer, nullable=False, default=0),
    Column("last_failed_at", UTCDateTime, nullable=False),
    Column("locked_until", UTCDateTime, nullable=True),
)

# Tokens partner organisations' programs use (Authorization: Bearer …), each scoped to one role.
api_tokens = Table(
    "api_tokens",
    kit_metadata,
    Column("id", String(36), primary_key=True),
    Column("name", String(200), nullable=False),  # what it is for, e.g. "SUN Network import"
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("prefix", String(16), nullable=False),  # first characters, to recognise a token
    Column("role", String(16), nullable=False),
    Column("created_at", UTCDateTime, nullable=False),
    Column("created_by", String(36), nullable=True),
    Column("last_used_at", UTCDateTime, nullable=True),
    Column("revoked_at", UTCDateTime, nullable=True),
)

# Who changed what, and when: every staff change and every sign-in, kept for accountability.
audit_log = Table(
    "audit_log",
    kit_metadata,
    Column("id", BigInteger().with_variant(Integer, "sqlite"), primary_key=True, autoincrement=True),
    Column("at", UTCDateTime, nullable=False, index=True),
    Column("actor", String(80), nullable=False),  # account:<id>, token:<id>, anonymous or system
    Column("actor_name", String(200), nullable=True),
    Column("action", String(80), nullable=False, index=True),
    Column("target", String(200), nullable=True),
    Column("details", JSON, nullable=False),
)

# Email waiting to be sent, written in the same transaction as the change that causes it (see
# `forum_shared.mail`). The address, the template's facts and the attachments are kept only until
# the message is sent: after that the row records what was sent, to whom (a hash) and when.
email_outbox = Table(
    "email_outbox",
    kit_metadata,
    Column("id", String(36), primary_key=True),  # also the Message-ID's left part, so a resend keeps it
    Column("to_address", String(320), nullable=True),  # cleared once sent
    Column("to_hash", String(64), nullable=False, index=True),  # SHA-256 of the lower-case address
    Column("about", String(200), nullable=True),  # what it concerns, e.g. registration:<id>
    Column("template", String(120), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("topic", String(80), nullable=True),  # what unsubscribing stops; none for direct answers
    Column("context", JSON, nullable=True),  # the template's facts; cleared once sent
    Column("attachments", JSON, nullable=True),  # cleared once sent
    Column("queued_at", UTCDateTime, nullable=False),
    Column("next_attempt_at", UTCDateTime, nullable=False, index=True),
    Column("attempts", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("sent_at", UTCDateTime, nullable=True, index=True),
    Column("failed_at", UTCDateTime, nullable=True),
)

# Who asked for no more email of a kind (one-click unsubscribe, RFC 8058), by a hash of the address.
email_suppressions = Table(
    "email_suppressions",
    kit_metadata,
    Column("to_hash", String(64), primary_key=True),
    Column("topic", String(80), primary_key=True),
    Column("at", UTCDateTime, nullable=False),
)
