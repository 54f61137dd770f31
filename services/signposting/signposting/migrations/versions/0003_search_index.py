"""a search index of words, places as unit vectors, and the indexes search reads

Words: on SQLite, two FTS5 tables over `services` (its `search_text`, and its `name`), external
content kept in step by triggers on every insert, change and delete, filled here for the services
already listed; on PostgreSQL, GIN indexes of the same columns' words (`search_words`, which is
`to_tsvector('simple', …)`).
Places: each location's coordinates also as a unit vector (`geo_x`, `geo_y`, `geo_z`, see
`domain.unit_vector`), filled here, so distance is measured in SQL; and whether a link between a
service and a place is the service's only one (`only_place`), so a search by proximity counts
most services without looking for their other places. And covering indexes for search by need, by
proximity, and for listing services by name.

A later migration that rebuilds `services` on SQLite (batch mode copies it into a new table) drops
the triggers and renumbers the rows the FTS tables point at: it must run `drop_sqlite_index()`
first and `create_sqlite_index()` after, as here.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07 10:00:00
"""

import sqlalchemy as sa
from alembic import op

from signposting import domain

revision = '0003'
down_revision = '0002'
branch_labels = None
depends_on = None

locations = sa.table(
    'locations', sa.column('id', sa.String), sa.column('geo_lat', sa.Float), sa.column('geo_lon', sa.Float),
    sa.column('geo_x', sa.Float), sa.column('geo_y', sa.Float), sa.column('geo_z', sa.Float),
)

# Letters and digits make words (as `domain.search_words` reads a search); case is folded;
# accents are kept, as PostgreSQL's 'simple' configuration keeps them. Search looks words up as
# prefixes: those of up to eight letters are indexed as such, so each is one list to read.
FTS_OPTIONS = (
    "content='services', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0', "
    "detail='column', columnsize=0, prefix='2 3 4 5 6 7 8'"
)
SQLITE_INDEX = [
    f"CREATE VIRTUAL TABLE services_words USING fts5(search_text, {FTS_OPTIONS})",
    f"CREATE VIRTUAL TABLE services_name_words USING fts5(name, {FTS_OPTIONS})",
    """CREATE TRIGGER services_words_after_insert AFTER INSERT ON services BEGIN
        INSERT INTO services_words(rowid, search_text) VALUES (new.rowid, new.search_text);
        INSERT INTO services_name_words(rowid, name) VALUES (new.rowid, new.name);
    END""",
    """CREATE TRIGGER services_words_after_delete AFTER DELETE ON services BEGIN
        INSERT INTO services_words(services_words, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO services_name_words(services_name_words, rowid, name) VALUES ('delete', old.rowid, old.name);
    END""",
    """CREATE TRIGGER services_words_after_update AFTER UPDATE OF search_text ON services
    WHEN old.search_text IS NOT new.search_text BEGIN
        INSERT INTO services_words(services_words, rowid, search_text) VALUES ('delete', old.rowid, old.search_text);
        INSERT INTO services_words(rowid, search_text) VALUES (new.rowid, new.search_text);
    END""",
    """CREATE TRIGGER services_name_words_after_update AFTER UPDATE OF name ON services
    WHEN old.name IS NOT new.name BEGIN
        INSERT INTO services_name_words(services_name_words, rowid, name) VALUES ('delete', old.rowid, old.name);
        INSERT INTO services_name_words(rowid, name) VALUES (new.rowid, new.name);
    END""",
    "INSERT INTO services_words(services_words) VALUES ('rebuild')",
    "INSERT INTO services_name_words(services_name_words) VALUES ('rebuild')",
]
SQLITE_INDEX_DROPPED = [
    "DROP TRIGGER IF EXISTS services_words_after_insert",
    "DROP TRIGGER IF EXISTS services_words_after_delete",
    "DROP TRIGGER IF EXISTS services_words_after_update",
    "DROP TRIGGER IF EXISTS services_name_words_after_update",
    "DROP TABLE IF EXISTS services_words",
    "DROP TABLE IF EXISTS services_name_words",
]
# `search_words(text)` is `to_tsvector('simple', text)`, priced as what it is: parsing text into
# words costs far more than PostgreSQL assumes of a function, and at its default price the planner
# reads every row and parses each rather than read the index. (PL/pgSQL, so it is not inlined.)
POSTGRESQL_INDEX = [
    """CREATE FUNCTION search_words(text) RETURNS tsvector
    LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE COST 1000
    AS $$ BEGIN RETURN to_tsvector('simple'::regconfig, $1); END $$""",
    "CREATE INDEX ix_services_words ON services USING gin (search_words(search_text))",
    "CREATE INDEX ix_services_name_words ON services USING gin (search_words(name))",
]


def create_sqlite_index() -> None:
    for statement in SQLITE_INDEX:
        op.execute(statement)


def drop_sqlite_index() -> None:
    for statement in SQLITE_INDEX_DROPPED:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    for name in ('geo_x', 'geo_y', 'geo_z'):
        op.add_column('locations', sa.Column(name, sa.Float(), nullable=True))
    placed = bind.execute(
        sa.select(locations.c.id, locations.c.geo_lat, locations.c.geo_lon).where(
            locations.c.geo_lat.is_not(None), locations.c.geo_lon.is_not(None)
        )
    ).all()
    vectors = []
    for location_id, lat, lon in placed:
        x, y, z = domain.unit_vector(lat, lon)
        vectors.append({'key': location_id, 'x': x, 'y': y, 'z': z})
    if vectors:
        bind.execute(
            locations.update().where(locations.c.id == sa.bindparam('key')).values(
                geo_x=sa.bindparam('x'), geo_y=sa.bindparam('y'), geo_z=sa.bindparam('z')
            ),
            vectors,
        )
    op.drop_index('ix_locations_geo', table_name='locations')
    op.create_index('ix_locations_geo', 'locations', ['geo_lat', 'geo_lon', 'geo_x', 'geo_y', 'geo_z', 'id'])
    op.drop_index('ix_attributes_taxonomy_term_id', table_name='attributes')
    op.create_index('ix_attributes_term', 'attributes', ['taxonomy_term_id', 'link_entity', 'link_id'])
    op.add_column(
        'service_at_locations', sa.Column('only_place', sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.execute(
        "UPDATE service_at_locations SET only_place = ((SELECT count(*) FROM service_at_locations AS other"
        " WHERE other.service_id = service_at_locations.service_id) = 1)"
    )
    op.drop_index('ix_service_at_locations_location_id', table_name='service_at_locations')
    op.create_index(
        'ix_service_at_locations_place', 'service_at_locations', ['location_id', 'only_place', 'service_id']
    )
    op.create_index('ix_services_name', 'services', ['name', 'id'])
    if bind.dialect.name == 'sqlite':
        create_sqlite_index()
    else:
        for statement in POSTGRESQL_INDEX:
            op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name == 'sqlite':
        drop_sqlite_index()
    else:
        op.drop_index('ix_services_name_words', table_name='services')
        op.drop_index('ix_services_words', table_name='services')
        op.execute("DROP FUNCTION search_words(text)")
    op.drop_index('ix_services_name', table_name='services')
    op.drop_index('ix_service_at_locations_place', table_name='service_at_locations')
    op.create_index('ix_service_at_locations_location_id', 'service_at_locations', ['location_id'])
    # Columns dropped in place (SQLite 3.35+): batch mode would copy each table and drop the old
    # one, which deletes what refers to its rows.
    op.drop_column('service_at_locations', 'only_place')
    op.drop_index('ix_attributes_term', table_name='attributes')
    op.create_index('ix_attributes_taxonomy_term_id', 'attributes', ['taxonomy_term_id'])
    op.drop_index('ix_locations_geo', table_name='locations')
    op.create_index('ix_locations_geo', 'locations', ['geo_lat', 'geo_lon'])
    for name in ('geo_z', 'geo_y', 'geo_x'):
        op.drop_column('locations', name)
