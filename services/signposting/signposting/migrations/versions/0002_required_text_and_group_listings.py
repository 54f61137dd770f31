"""required descriptions and community group listings

Open Referral UK requires an organisation's, a taxonomy's and a taxonomy term's description: those
stored empty get the sentence the service now writes when none is given, and the columns become
NOT NULL. Each community group gets its listing (the service saying what it offers, found by the
service search), active for an active group and inactive for a withdrawn one, covering its areas.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-01 10:00:00
"""

import uuid
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

import forum_shared.db
from signposting import domain

revision = '0002'
down_revision = '0001'
branch_labels = None
depends_on = None

UPDATED_BY = "Signposting upgrade (community group listings)"

organizations = sa.table(
    'organizations',
    sa.column('id', sa.String), sa.column('name', sa.String), sa.column('description', sa.Text),
    sa.column('email', sa.String), sa.column('website', sa.String), sa.column('community_group', sa.Boolean),
    sa.column('community_status', sa.String), sa.column('group_service_id', sa.String),
)
organization_areas = sa.table('organization_areas', sa.column('organization_id', sa.String), sa.column('area', sa.String))
taxonomies = sa.table('taxonomies', sa.column('id', sa.String), sa.column('name', sa.String),
                      sa.column('description', sa.Text))
taxonomy_terms = sa.table('taxonomy_terms', sa.column('id', sa.String), sa.column('name', sa.String),
                          sa.column('description', sa.Text))
services = sa.table(
    'services',
    sa.column('id', sa.String), sa.column('organization_id', sa.String), sa.column('name', sa.String),
    sa.column('description', sa.Text), sa.column('email', sa.String), sa.column('url', sa.String),
    sa.column('status', sa.String), sa.column('search_text', sa.Text),
    sa.column('last_modified', forum_shared.db.UTCDateTime), sa.column('created_at', forum_shared.db.UTCDateTime),
)
service_areas = sa.table('service_areas', sa.column('id', sa.String), sa.column('service_id', sa.String),
                         sa.column('name', sa.String), sa.column('area_key', sa.String))
history = sa.table(
    'history',
    sa.column('id', sa.String), sa.column('resource_id', sa.String), sa.column('resource_type', sa.String),
    sa.column('last_action_date', forum_shared.db.UTCDateTime), sa.column('last_action_type', sa.String),
    sa.column('field_name', sa.String), sa.column('previous_value', sa.Text),
    sa.column('replacement_value', sa.Text), sa.column('updated_by', sa.String),
)


def _blank(table: sa.TableClause) -> sa.ColumnElement[bool]:
    return sa.or_(table.c.description.is_(None), sa.func.trim(table.c.description) == '')


def upgrade() -> None:
    bind = op.get_bind()
    areas: dict[str, list[str]] = {}
    for org_id, area in bind.execute(sa.select(organization_areas.c.organization_id, organization_areas.c.area)):
        areas.setdefault(org_id, []).append(area)
    for org_id, name, group in bind.execute(
        sa.select(organizations.c.id, organizations.c.name, organizations.c.community_group).where(_blank(organizations))
    ):
        about = (
            domain.community_group_description(name, sorted(areas.get(org_id, [])))
            if group
            else domain.organization_description(name)
        )
        bind.execute(organizations.update().where(organizations.c.id == org_id).values(description=about))
    for table, describe in ((taxonomies, domain.taxonomy_description), (taxonomy_terms, domain.need_description)):
        for row_id, name in bind.execute(sa.select(table.c.id, table.c.name).where(_blank(table))):
            bind.execute(table.update().where(table.c.id == row_id).values(description=describe(name)))

    for name in ('organizations', 'taxonomies', 'taxonomy_terms'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('description', existing_type=sa.Text(), nullable=False)
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('group_service_id', sa.String(length=36), nullable=True))

    now = datetime.now(UTC)
    groups = bind.execute(
        sa.select(organizations).where(organizations.c.community_group.is_(True)).order_by(organizations.c.id)
    ).all()
    for group in groups:
        service_id = str(uuid.uuid4())
        words = " ".join(p for p in (group.name, group.description, group.name) if p).lower()
        bind.execute(services.insert().values(
            id=service_id, organization_id=group.id, name=group.name, description=group.description,
            email=group.email, url=group.website, search_text=words, last_modified=now, created_at=now,
            status='active' if group.community_status == 'active' else 'inactive',
        ))
        for area in sorted(areas.get(group.id, [])):
            bind.execute(service_areas.insert().values(
                id=str(uuid.uuid4()), service_id=service_id, name=area, area_key=domain.key(area)
            ))
        bind.execute(history.insert().values(
            id=str(uuid.uuid4()), resource_id=service_id, resource_type='service', last_action_date=now,
            last_action_type='create', field_name='*', previous_value='', replacement_value=group.name,
            updated_by=UPDATED_BY,
        ))
        bind.execute(organizations.update().where(organizations.c.id == group.id).values(group_service_id=service_id))


def downgrade() -> None:
    listings = sa.select(organizations.c.group_service_id).where(organizations.c.group_service_id.is_not(None))
    op.get_bind().execute(services.delete().where(services.c.id.in_(listings)))
    with op.batch_alter_table('organizations', schema=None) as batch_op:
        batch_op.drop_column('group_service_id')
    for name in ('organizations', 'taxonomies', 'taxonomy_terms'):
        with op.batch_alter_table(name, schema=None) as batch_op:
            batch_op.alter_column('description', existing_type=sa.Text(), nullable=True)
