"""consumer positions: how far each consumer has got, kept with its effects

Revision ID: kit_0002
Revises: kit_0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import forum_shared.db

revision = "kit_0002"
down_revision = "kit_0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "consumer_positions",
        sa.Column("consumer", sa.String(length=128), nullable=False),
        sa.Column("stream_sequence", sa.BigInteger(), nullable=False),
        sa.Column("updated_at", forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("consumer", name=op.f("pk_consumer_positions")),
    )


def downgrade() -> None:
    op.drop_table("consumer_positions")
