"""The kit's tables (outbox, inbox, dead letters, accounts, sign-in, tokens, audit log), defined once
for every service: each service's migrations include this branch (label "kit").

Revision ID: kit_0001
Revises:
Create Date: 2026-12-06

Databases made before the kit had its own branch already hold these tables (each service's first
migration used to create them), so each is created only where it is missing.
"""

import sqlalchemy as sa
from alembic import op

import forum_shared.db


revision = "kit_0001"
down_revision = None
branch_labels = ("kit",)
depends_on = None


def upgrade() -> None:
    existing = set(sa.inspect(op.get_bind()).get_table_names())
    if 'accounts' not in existing:
        op.create_table('accounts',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('email', sa.String(length=320), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('password_hash', sa.String(length=255), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('created_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_signed_in_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('disabled_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_accounts')),
        sa.UniqueConstraint('email', name=op.f('uq_accounts_email'))
        )

    if 'api_tokens' not in existing:
        op.create_table('api_tokens',
        sa.Column('id', sa.String(length=36), nullable=False),
        sa.Column('name', sa.String(length=200), nullable=False),
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('prefix', sa.String(length=16), nullable=False),
        sa.Column('role', sa.String(length=16), nullable=False),
        sa.Column('created_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('created_by', sa.String(length=36), nullable=True),
        sa.Column('last_used_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('revoked_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_api_tokens')),
        sa.UniqueConstraint('token_hash', name=op.f('uq_api_tokens_token_hash'))
        )

    if 'audit_log' not in existing:
        op.create_table('audit_log',
        sa.Column('id', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('actor', sa.String(length=80), nullable=False),
        sa.Column('actor_name', sa.String(length=200), nullable=True),
        sa.Column('action', sa.String(length=80), nullable=False),
        sa.Column('target', sa.String(length=200), nullable=True),
        sa.Column('details', sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_audit_log'))
        )
        with op.batch_alter_table('audit_log', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_audit_log_action'), ['action'], unique=False)
            batch_op.create_index(batch_op.f('ix_audit_log_at'), ['at'], unique=False)

    if 'dead_letters' not in existing:
        op.create_table('dead_letters',
        sa.Column('id', sa.Integer(), autoincrement=True, nullable=False),
        sa.Column('consumer', sa.String(length=128), nullable=False),
        sa.Column('event_id', sa.String(length=64), nullable=True),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('error', sa.Text(), nullable=False),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('status', sa.String(length=16), nullable=False),
        sa.Column('dead_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('replayed_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_dead_letters')),
        sa.UniqueConstraint('consumer', 'subject', 'event_id', name='uq_dead_letters_consumer_event')
        )

    if 'inbox' not in existing:
        op.create_table('inbox',
        sa.Column('consumer', sa.String(length=128), nullable=False),
        sa.Column('event_id', sa.String(length=64), nullable=False),
        sa.Column('processed_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint('consumer', 'event_id', name=op.f('pk_inbox'))
        )

    if 'outbox' not in existing:
        op.create_table('outbox',
        sa.Column('position', sa.BigInteger().with_variant(sa.Integer(), 'sqlite'), autoincrement=True, nullable=False),
        sa.Column('event_id', sa.String(length=64), nullable=False),
        sa.Column('subject', sa.String(length=255), nullable=False),
        sa.Column('headers', sa.JSON(), nullable=False),
        sa.Column('body', sa.Text(), nullable=False),
        sa.Column('created_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('published_at', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.Column('attempts', sa.Integer(), nullable=False),
        sa.Column('last_error', sa.Text(), nullable=True),
        sa.PrimaryKeyConstraint('position', name=op.f('pk_outbox')),
        sa.UniqueConstraint('event_id', name=op.f('uq_outbox_event_id'))
        )
        with op.batch_alter_table('outbox', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_outbox_published_at'), ['published_at'], unique=False)

    if 'sign_in_failures' not in existing:
        op.create_table('sign_in_failures',
        sa.Column('email_hash', sa.String(length=64), nullable=False),
        sa.Column('failures', sa.Integer(), nullable=False),
        sa.Column('last_failed_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('locked_until', forum_shared.db.UTCDateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint('email_hash', name=op.f('pk_sign_in_failures'))
        )

    if 'web_sessions' not in existing:
        op.create_table('web_sessions',
        sa.Column('token_hash', sa.String(length=64), nullable=False),
        sa.Column('account_id', sa.String(length=36), nullable=False),
        sa.Column('created_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('last_seen_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column('expires_at', forum_shared.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(['account_id'], ['accounts.id'], name=op.f('fk_web_sessions_account_id_accounts'), ondelete='CASCADE'),
        sa.PrimaryKeyConstraint('token_hash', name=op.f('pk_web_sessions'))
        )
        with op.batch_alter_table('web_sessions', schema=None) as batch_op:
            batch_op.create_index(batch_op.f('ix_web_sessions_account_id'), ['account_id'], unique=False)
            batch_op.create_index(batch_op.f('ix_web_sessions_expires_at'), ['expires_at'], unique=False)


def downgrade() -> None:
    for table in ['web_sessions', 'sign_in_failures', 'outbox', 'inbox', 'dead_letters', 'audit_log', 'api_tokens', 'accounts']:
        op.drop_table(table)
