"""outbox: no index of every row's published_at

Every query of published_at asks for the unpublished rows, which `ix_outbox_unpublished` holds.
The index of all of them was only written: once for each new row and again for each row marked.

Revision ID: kit_0006
Revises: kit_0005
Create Date: 2026-12-07
"""

from alembic import op

revision = "kit_0006"
down_revision = "kit_0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_outbox_published_at", table_name="outbox")


def downgrade() -> None:
    op.create_index("ix_outbox_published_at", "outbox", ["published_at"], unique=False)
