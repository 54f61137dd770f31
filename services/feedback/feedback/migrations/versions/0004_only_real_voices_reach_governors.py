"""only real voices reach governors; notes for governors kept apart from the public summary

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-02 10:00:00

Feedback now says who recorded it (`recorded_by`: the public, staff or a partner's program), which
decides what it may speak for in a theme cluster. Feedback recorded before had no such record:
views entered by staff (at a pop-up forum or meeting) and partners' feedback are known, and
everything else is taken as the public's, so a community group named by an unknown sender no
longer counts as that group. Every piece of feedback now has a cluster source; the public's
together are one (`public`).

Escalations keep what staff wrote for governors only (`notes_for_governors`) apart from the public
summary and from the route's reasoning: a staff escalation's old reason becomes its notes, and its
reason says that staff raised it. Acknowledgements also keep the governor's account id.
"""

import sqlalchemy as sa
from alembic import op

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

feedback = sa.table(
    'feedback',
    sa.column('recorded_by', sa.String),
    sa.column('cluster_source', sa.String),
    sa.column('entered_by', sa.String),
    sa.column('partner_id', sa.String),
)
escalations = sa.table(
    'escalations',
    sa.column('reason', sa.Text),
    sa.column('notes_for_governors', sa.Text),
    sa.column('raised_by', sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.add_column(sa.Column('recorded_by', sa.String(length=16), nullable=True))
    op.execute(feedback.update().where(feedback.c.partner_id.is_not(None)).values(recorded_by='partner'))
    op.execute(
        feedback.update()
        .where(feedback.c.recorded_by.is_(None), feedback.c.entered_by.is_not(None))
        .values(recorded_by='staff')
    )
    op.execute(feedback.update().where(feedback.c.recorded_by.is_(None)).values(recorded_by='public'))
    op.execute(
        feedback.update()
        .where(sa.or_(feedback.c.recorded_by == 'public', feedback.c.cluster_source.is_(None)))
        .values(cluster_source='public')
    )
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.alter_column('recorded_by', existing_type=sa.String(length=16), nullable=False)

    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('notes_for_governors', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('acknowledged_by_id', sa.String(length=64), nullable=True))
    op.execute(
        escalations.update()
        .where(escalations.c.raised_by == 'staff')
        .values(notes_for_governors=escalations.c.reason, reason='Raised by staff')
    )


def downgrade() -> None:
    op.execute(
        escalations.update()
        .where(escalations.c.raised_by == 'staff', escalations.c.notes_for_governors.is_not(None))
        .values(reason=escalations.c.notes_for_governors)
    )
    with op.batch_alter_table('escalations', schema=None) as batch_op:
        batch_op.drop_column('acknowledged_by_id')
        batch_op.drop_column('notes_for_governors')
    op.execute(feedback.update().where(feedback.c.cluster_source == 'public').values(cluster_source=None))
    with op.batch_alter_table('feedback', schema=None) as batch_op:
        batch_op.drop_column('recorded_by')
