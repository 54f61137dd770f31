"""outbox: an index of the unpublished rows only, for the relay

Revision ID: kit_0005
Revises: kit_0004
Create Date: 2026-12-07
"""

import sqlalchemy as sa
from alembic import op

revision = "kit_0005"
down_revision = "kit_0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index(
        "ix_outbox_unpublished", "outbox", ["position"], unique=False,
        postgresql_where=sa.text("published_at IS NULL"), sqlite_where=sa.text("published_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_outbox_unpublished", table_name="outbox")
