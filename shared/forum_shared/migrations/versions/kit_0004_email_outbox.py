"""email outbox and unsubscriptions: people hear back, and can say stop

Revision ID: kit_0004
Revises: kit_0003
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import forum_shared.db

revision = "kit_0004"
down_revision = "kit_0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "email_outbox",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("to_address", sa.String(length=320), nullable=True),
        sa.Column("to_hash", sa.String(length=64), nullable=False),
        sa.Column("about", sa.String(length=200), nullable=True),
        sa.Column("template", sa.String(length=120), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=True),
        sa.Column("context", sa.JSON(), nullable=True),
        sa.Column("attachments", sa.JSON(), nullable=True),
        sa.Column("queued_at", forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("next_attempt_at", forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("sent_at", forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column("failed_at", forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_email_outbox")),
    )
    with op.batch_alter_table("email_outbox") as batch_op:
        batch_op.create_index(batch_op.f("ix_email_outbox_to_hash"), ["to_hash"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_outbox_next_attempt_at"), ["next_attempt_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_email_outbox_sent_at"), ["sent_at"], unique=False)
    op.create_table(
        "email_suppressions",
        sa.Column("to_hash", sa.String(length=64), nullable=False),
        sa.Column("topic", sa.String(length=80), nullable=False),
        sa.Column("at", forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("to_hash", "topic", name=op.f("pk_email_suppressions")),
    )


def downgrade() -> None:
    op.drop_table("email_suppressions")
    op.drop_table("email_outbox")
