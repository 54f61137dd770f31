"""The kit's tables come from one migration branch that every service's history includes."""

from datetime import UTC, datetime

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import insert, inspect, select

from forum_shared.db import Database
from forum_shared.migrations import alembic_config, upgrade
from forum_shared.tables import accounts, kit_metadata


async def _applied(db: Database, migrations) -> set[str]:
    """Every revision the database is at or has passed (a service migration may depend on the kit's
    newest, so the kit branch need not be a head of its own)."""
    async with db.engine.connect() as conn:
        heads = {row[0] for row in await conn.exec_driver_sql("SELECT version_num FROM alembic_version")}
    script = ScriptDirectory.from_config(alembic_config(migrations, db.url))
    return {revision.revision for head in heads for revision in script.walk_revisions("base", head)}


def _kit_head(migrations) -> str:
    kit = [r for r in ScriptDirectory.from_config(alembic_config(migrations, "sqlite://")).walk_revisions()
           if r.revision.startswith("kit_")]
    [head] = [r.revision for r in kit if not any(later.startswith("kit_") for later in r.nextrev)]
    return head


async def test_a_new_database_gets_the_kit_tables_from_the_kit_branch(database_url):
    import membership.app

    db = Database(await database_url("membership", empty=True))
    try:
        await upgrade(db.engine, membership.app.MIGRATIONS)
        async with db.engine.connect() as conn:
            tables = set(await conn.run_sync(lambda c: inspect(c).get_table_names()))
        assert set(kit_metadata.tables) <= tables
        assert _kit_head(membership.app.MIGRATIONS) in await _applied(db, membership.app.MIGRATIONS)
    finally:
        await db.dispose()


async def test_a_database_made_before_the_kit_branch_keeps_its_kit_tables_and_rows(database_url):
    """Before the branch, each service's first migration made the kit tables itself."""
    import membership.app

    db = Database(await database_url("membership", empty=True))
    try:
        # added by the kit's own later migrations
        later = {"consumer_positions", "idempotency_keys", "email_outbox", "email_suppressions"}
        first_kit_tables = [t for name, t in kit_metadata.tables.items() if name not in later]
        async with db.engine.begin() as conn:
            await conn.run_sync(lambda c: kit_metadata.create_all(c, tables=first_kit_tables))
            await conn.exec_driver_sql("DROP INDEX ix_outbox_unpublished")  # added by a later kit migration
            await conn.exec_driver_sql("CREATE INDEX ix_outbox_published_at ON outbox (published_at)")  # dropped by one

            def old_history(sync_conn) -> None:  # the service's first migration, without the kit branch
                cfg = alembic_config(membership.app.MIGRATIONS, str(db.engine.url))
                cfg.attributes["connection"] = sync_conn
                command.upgrade(cfg, "0001")

            await conn.run_sync(old_history)
        async with db.transaction() as session:
            await session.execute(insert(accounts).values(
                id="a1", email="kept@example.org", name="Kept", password_hash="x", role="admin",
                created_at=datetime.now(UTC)))
        await upgrade(db.engine, membership.app.MIGRATIONS)
        async with db.read() as session:
            assert await session.scalar(select(accounts.c.email)) == "kept@example.org"
        assert _kit_head(membership.app.MIGRATIONS) in await _applied(db, membership.app.MIGRATIONS)
    finally:
        await db.dispose()
