"""partner keys become API tokens of the "partner" role

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-27 14:20:00

Partner organisations' programs now use the kit's API tokens. Their keys were kept the same way
(a SHA-256 of the key), so each key is moved across as it is and keeps working, revoked or not.
"""

import sqlalchemy as sa
from alembic import op

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = 'kit_0001'  # moves keys into the kit's api_tokens


def upgrade() -> None:
    op.execute(
        "INSERT INTO api_tokens (id, name, token_hash, prefix, role, created_at, created_by, last_used_at, revoked_at) "
        "SELECT id, name, key_hash, 'fbk_', 'partner', created_at, NULL, NULL, revoked_at FROM partner_clients"
    )
    op.drop_table('partner_clients')


def downgrade() -> None:
    op.create_table('partner_clients',
    sa.Column('id', sa.String(length=36), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('key_hash', sa.String(length=64), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('revoked_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_partner_clients')),
    sa.UniqueConstraint('key_hash', name=op.f('uq_partner_clients_key_hash'))
    )
    op.execute(
        "INSERT INTO partner_clients (id, name, key_hash, created_at, revoked_at) "
        "SELECT id, name, token_hash, created_at, revoked_at FROM api_tokens WHERE role = 'partner'"
    )
    op.execute("DELETE FROM api_tokens WHERE role = 'partner'")
