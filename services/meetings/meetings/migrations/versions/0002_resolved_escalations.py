"""resolved escalations, remembered whatever order escalation events arrive in

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-06
"""

import sqlalchemy as sa
from alembic import op

import forum_shared.db

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "resolved_escalations",
        sa.Column("escalation_id", sa.String(length=64), nullable=False),
        sa.Column("resolved_at", forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("escalation_id", name=op.f("pk_resolved_escalations")),
    )


def downgrade() -> None:
    op.drop_table("resolved_escalations")
