"""governors choose the escalation emails they get

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-06 12:00:00

Each governor (a kit account with the governor role) may ask for an email for each new escalation
and for each one that passes its respond-by date without a response. Both are off until they opt
in. The emails wait in the kit's email outbox (kit_0004), whose unsubscriptions also turn them off.
"""

import sqlalchemy as sa
from alembic import op

import forum_shared.db

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = 'kit_0004'  # the email outbox and unsubscriptions these choices go with


def upgrade() -> None:
    op.create_table('governor_email_choices',
    sa.Column('account_id', sa.String(length=36), nullable=False),
    sa.Column('new_escalations', sa.Boolean(), nullable=False),
    sa.Column('overdue_escalations', sa.Boolean(), nullable=False),
    sa.Column('changed_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('account_id', name=op.f('pk_governor_email_choices'))
    )


def downgrade() -> None:
    op.drop_table('governor_email_choices')
