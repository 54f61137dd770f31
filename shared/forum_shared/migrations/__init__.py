"""Alembic, shared: each service's `migrations/env.py` calls `run_env`, and start-up calls `upgrade`.

The kit's own tables have one migration history, the "kit" branch in `versions/` beside this file;
every service's history includes it, so a change to a kit table is one migration, not four.
A service migration that needs a kit table names it in `depends_on` (e.g. "kit_0001").
"""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import Connection, MetaData, pool
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from forum_shared.tables import kit_metadata

KIT_VERSIONS = Path(__file__).parent / "versions"


def alembic_config(script_location: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("path_separator", "os")
    cfg.set_main_option("version_locations", os.pathsep.join([str(script_location / "versions"), str(KIT_VERSIONS)]))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, script_location: Path, revision: str = "heads") -> None:
    """Bring the database to the newest revision (used on start-up), or to `revision` (tests of a
    migration that moves data)."""
    cfg = alembic_config(script_location, engine.url.render_as_string(hide_password=False))

    def _run(connection: Connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


def run_env(service_metadata: MetaData) -> None:
    """The body of every service's Alembic env.py: service tables plus the kit's own."""
    target = [service_metadata, kit_metadata]
    config = context.config
    connection = config.attributes.get("connection")

    def _migrate(conn: Connection) -> None:
        context.configure(
            connection=conn, target_metadata=target, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()

    if connection is not None:
        _migrate(connection)
        return

    async def _standalone() -> None:
        url = config.get_main_option("sqlalchemy.url")
        if not url:
            raise RuntimeError("the Alembic configuration has no sqlalchemy.url to migrate")
        engine = create_async_engine(url, poolclass=pool.NullPool)
        async with engine.begin() as conn:
            await conn.run_sync(_migrate)
        await engine.dispose()

    asyncio.run(_standalone())
