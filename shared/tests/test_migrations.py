"""The kit's tables come from one migration branch that every service's history includes."""

from datetime import UTC, datetime

from alembic import command
from sqlalchemy import insert, inspect, select

from forum_shared.db import Database
from forum_shared.migrations import alembic_config, upgrade
from forum_shared.tables import accounts, kit_metadata


async def _heads(db: Database) -> set[str]:
    async with db.engine.connect() as conn:
        rows = await conn.exec_driver_sql("SELECT version_num FROM alembic_version")
        return {row[0] for row in rows}


async def test_a_new_database_gets_the_kit_tables_from_the_kit_branch(database_url):
    import membership.app

    db = Database(await database_url("membership", empty=True))
    try:
        await upgrade(db.engine, membership.app.MIGRATIONS)
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert set(kit_metadata.tables) <= tables
        assert any(head.startswith("kit_") for head in await _heads(db))
    finally:
        await db.dispose()


async def test_a_database_made_before_the_kit_branch_keeps_its_kit_tables_and_rows(database_url):
    """Before the branch, each service's first migration made the kit tables itself."""
    import membership.app
    import membership.store

    db = Database(await database_url("membership", empty=True))
    try:
        later = {"consumer_positions", "idempotency_keys"}  # added by the kit's own later migrations
        first_kit_tables = [t for name, t in kit_metadata.tables.items() if name not in later]
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: kit_metadata.create_all(c, tables=first_kit_tables))
            await conn.run_sync(membership.store.metadata.create_all)

            def stamp_old_history(sync_conn) -> None:
                cfg = alembic_config(membership.app.MIGRATIONS, str(db.engine.url))
                cfg.attributes["connection"] = sync_conn
                command.stamp(cfg, "0001")

            await conn.run_sync(stamp_old_history)
        async with db.transaction() as session:
            await session.execute(insert(accounts).values(
                id="a1", email="kept@example.org", name="Kept", password_hash="x", role="admin",
                created_at=datetime.now(UTC)))
        await upgrade(db.engine, membership.app.MIGRATIONS)
        async with db.read() as session:
            assert await session.scalar(select(accounts.c.email)) == "kept@example.org"
        assert any(head.startswith("kit_") for head in await _heads(db))
    finally:
        await db.dispose()
