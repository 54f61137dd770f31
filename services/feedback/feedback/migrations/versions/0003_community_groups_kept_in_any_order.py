"""community groups kept in any order of their events

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-27 16:30:00

Community groups are now kept as meetings keeps them (`forum_shared.community_groups`): the time
of the event their name came from, when they registered, and a name that may be unknown while only
their withdrawal has arrived. Groups already listed count as registered now; withdrawn ones stay
withdrawn until they register again.
"""

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import forum_shared.db

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table('community_groups', schema=None) as batch_op:
        batch_op.alter_column('name', existing_type=sa.String(length=200), type_=sa.String(length=300), nullable=True)
        batch_op.add_column(sa.Column('details_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('registered_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True))
    groups = sa.table(
        'community_groups',
        sa.column('registered_at', forum_shared.db.UTCDateTime(timezone=True)),
        sa.column('withdrawn_at', forum_shared.db.UTCDateTime(timezone=True)),
    )
    op.execute(groups.update().where(groups.c.withdrawn_at.is_(None)).values(registered_at=datetime.now(UTC)))


def downgrade() -> None:
    op.execute("DELETE FROM community_groups WHERE name IS NULL")
    with op.batch_alter_table('community_groups', schema=None) as batch_op:
        batch_op.drop_column('registered_at')
        batch_op.drop_column('details_at')
        batch_op.alter_column('name', existing_type=sa.String(length=300), type_=sa.String(length=200), nullable=False)
