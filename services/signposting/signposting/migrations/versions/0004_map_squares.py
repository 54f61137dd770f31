"""needs and map squares as terms of the search index, and a service's one place on its row

Each service gets `search_keys`: its needs and the map squares of its places, as terms
(`signposting.map_squares`), filled here for the services already listed. The
full-text index takes them: on SQLite, `services_words` is made again with two columns
(`search_text`, `search_keys`), its triggers with it; on PostgreSQL, a GIN index of
`search_words(search_keys)`. A search for a need near a place then finds its services in the index
rather than by intersecting everything with the need and everything near.

Measuring how far the services the index returns are: a service at one place with coordinates
keeps that place's unit vector (`place_x`, `place_y`, `place_z`, filled here), so it is measured
from its own row; for the others, two covering indexes, so the measurement reads indexes only:
the places of a service (`ix_service_at_locations_service`, for
`ix_service_at_locations_service_id`), and where each place is (`ix_locations_vector`).

A later migration that rebuilds `services` on SQLite (batch mode copies it into a new table) drops
the triggers and renumbers the rows the FTS tables point at: it must run `drop_sqlite_index()`
first and `create_sqlite_index()` after (this migration's, which supersede 0003's).

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-07 15:30:00
"""

import sqlalchemy as sa
from alembic import op

from signposting import domain, map_squares

revision = '0004'
down_revision = '0003'
branch_labels = None
depends_on = None

services = sa.table(
    'services', sa.column('id', sa.String), sa.column('search_keys', sa.Text), sa.column('place_x', sa.Float),
    sa.column('place_y', sa.Float), sa.column('place_z', sa.Float),
)
attributes = sa.table(
    'attributes', sa.column('link_id', sa.String), sa.column('link_entity', sa.String),
    sa.column('taxonomy_term_id', sa.String),
)
links = sa.table('service_at_locations', sa.column('service_id', sa.String), sa.column('location_id', sa.String))
locations = sa.table('locations', sa.column('id', sa.String), sa.column('geo_lat', sa.Float),
                     sa.column('geo_lon', sa.Float))

# As 0003's (words are letters and digits, case folded, accents kept, prefixes of up to eight
# letters indexed), now over two columns of `services`.
FTS_OPTIONS = (
    "content='services', content_rowid='rowid', tokenize='unicode61 remove_diacritics 0', "
    "detail='column', columnsize=0, prefix='2 3 4 5 6 7 8'"
)
TRIGGERS = ("services_words_after_insert", "services_words_after_delete", "services_words_after_update",
            "services_name_words_after_update")
SQLITE_INDEX_DROPPED = [
    *(f"DROP TRIGGER IF EXISTS {name}" for name in TRIGGERS),
    "DROP TABLE IF EXISTS services_words",
    "DROP TABLE IF EXISTS services_name_words",
]


def sqlite_index(columns: tuple[str, ...]) -> list[str]:
    """The index: `services_words` of `columns` of `services`, `services_name_words` of its name,
    the triggers that keep them in step, and their filling."""
    listed, new, old = (", ".join(f"{prefix}{c}" for c in columns) for prefix in ("", "new.", "old."))
    changed = " OR ".join(f"old.{c} IS NOT new.{c}" for c in columns)
    return [
        f"CREATE VIRTUAL TABLE services_words USING fts5({listed}, {FTS_OPTIONS})",
        f"CREATE VIRTUAL TABLE services_name_words USING fts5(name, {FTS_OPTIONS})",
        f"""CREATE TRIGGER services_words_after_insert AFTER INSERT ON services BEGIN
            INSERT INTO services_words(rowid, {listed}) VALUES (new.rowid, {new});
            INSERT INTO services_name_words(rowid, name) VALUES (new.rowid, new.name);
        END""",
        f"""CREATE TRIGGER services_words_after_delete AFTER DELETE ON services BEGIN
            INSERT INTO services_words(services_words, rowid, {listed}) VALUES ('delete', old.rowid, {old});
            INSERT INTO services_name_words(services_name_words, rowid, name) VALUES ('delete', old.rowid, old.name);
        END""",
        f"""CREATE TRIGGER services_words_after_update AFTER UPDATE OF {listed} ON services WHEN {changed} BEGIN
            INSERT INTO services_words(services_words, rowid, {listed}) VALUES ('delete', old.rowid, {old});
            INSERT INTO services_words(rowid, {listed}) VALUES (new.rowid, {new});
        END""",
        """CREATE TRIGGER services_name_words_after_update AFTER UPDATE OF name ON services
        WHEN old.name IS NOT new.name BEGIN
            INSERT INTO services_name_words(services_name_words, rowid, name) VALUES ('delete', old.rowid, old.name);
            INSERT INTO services_name_words(rowid, name) VALUES (new.rowid, new.name);
        END""",
        "INSERT INTO services_words(services_words) VALUES ('rebuild')",
        "INSERT INTO services_name_words(services_name_words) VALUES ('rebuild')",
    ]


SQLITE_INDEX = sqlite_index(("search_text", "search_keys"))
SQLITE_INDEX_0003 = sqlite_index(("search_text",))  # to go back to


def create_sqlite_index() -> None:
    for statement in SQLITE_INDEX:
        op.execute(statement)


def drop_sqlite_index() -> None:
    for statement in SQLITE_INDEX_DROPPED:
        op.execute(statement)


def upgrade() -> None:
    bind = op.get_bind()
    sqlite = bind.dialect.name == 'sqlite'
    if sqlite:
        drop_sqlite_index()
    op.add_column('services', sa.Column('search_keys', sa.Text(), nullable=False, server_default=''))
    for name in ('place_x', 'place_y', 'place_z'):
        op.add_column('services', sa.Column(name, sa.Float(), nullable=True))
    needs: dict[str, list[str]] = {}
    for service_id, term_id in bind.execute(
        sa.select(attributes.c.link_id, attributes.c.taxonomy_term_id).where(attributes.c.link_entity == 'service')
    ):
        needs.setdefault(service_id, []).append(term_id)
    places: dict[str, list[tuple[float, float]]] = {}
    for service_id, lat, lon in bind.execute(
        sa.select(links.c.service_id, locations.c.geo_lat, locations.c.geo_lon)
        .join(locations, locations.c.id == links.c.location_id)
        .where(locations.c.geo_lat.is_not(None), locations.c.geo_lon.is_not(None))
    ):
        places.setdefault(service_id, []).append((lat, lon))
    keyed = []
    for service_id in needs.keys() | places.keys():
        its_places = places.get(service_id, [])
        x, y, z = domain.unit_vector(*its_places[0]) if len(its_places) == 1 else (None, None, None)
        keys = map_squares.keys(needs.get(service_id, ()), its_places)
        keyed.append({'key': service_id, 'keys': keys, 'x': x, 'y': y, 'z': z})
    if keyed:
        bind.execute(
            services.update().where(services.c.id == sa.bindparam('key')).values(
                search_keys=sa.bindparam('keys'), place_x=sa.bindparam('x'), place_y=sa.bindparam('y'),
                place_z=sa.bindparam('z'),
            ),
            keyed,
        )
    op.drop_index('ix_service_at_locations_service_id', table_name='service_at_locations')
    op.create_index('ix_service_at_locations_service', 'service_at_locations', ['service_id', 'location_id'])
    op.create_index('ix_locations_vector', 'locations', ['id', 'geo_x', 'geo_y', 'geo_z'])
    if sqlite:
        create_sqlite_index()
    else:
        op.execute("CREATE INDEX ix_services_keys ON services USING gin (search_words(search_keys))")


def downgrade() -> None:
    sqlite = op.get_bind().dialect.name == 'sqlite'
    if sqlite:
        drop_sqlite_index()
    else:
        op.drop_index('ix_services_keys', table_name='services')
    op.drop_index('ix_locations_vector', table_name='locations')
    op.drop_index('ix_service_at_locations_service', table_name='service_at_locations')
    op.create_index('ix_service_at_locations_service_id', 'service_at_locations', ['service_id'])
    for name in ('place_z', 'place_y', 'place_x', 'search_keys'):
        op.drop_column('services', name)
    if sqlite:
        for statement in SQLITE_INDEX_0003:
            op.execute(statement)
