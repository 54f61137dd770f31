"""Alembic, shared: each service's `migrations/env.py` calls `run_env`, and start-up calls `upgrade`."""

from __future__ import annotations

import asyncio
from pathlib import Path

from alembic import command, context
from alembic.config import Config
from sqlalchemy import MetaData, pool
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from forum_shared.tables import kit_metadata


def alembic_config(script_location: Path, url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(script_location))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


async def upgrade(engine: AsyncEngine, script_location: Path, revision: str = "head") -> None:
    """Bring the database to the newest revision (used on start-up), or to `revision` (tests of a
    migration that moves data)."""
    cfg = alembic_config(script_location, engine.url.render_as_string(hide_password=False))

    def _run(connection) -> None:
        cfg.attributes["connection"] = connection
        command.upgrade(cfg, revision)

    async with engine.begin() as conn:
        await conn.run_sync(_run)


def run_env(service_metadata: MetaData) -> None:
    """The body of every service's Alembic env.py: service tables plus the kit's own."""
    target = [service_metadata, kit_metadata]
    config = context.config
    connection = config.attributes.get("connection")

    def _migrate(conn) -> None:
        context.configure(
            connection=conn, target_metadata=target, render_as_batch=True, compare_type=True
        )
        with context.begin_transaction():
            context.run_migrations()

    if connection is not None:
        _migrate(connection)
        return

    async def _standalone() -> None:
        engine = create_async_engine(config.get_main_option("sqlalchemy.url"), poolclass=pool.NullPool)
        async with engine.begin() as conn:
            await conn.run_sync(_migrate)
        await engine.dispose()

    asyncio.run(_standalone())
