"""PostgreSQL connections from the pool (`forum_shared.db.ping_when_idle`): one idle for a while is
tested before it is used, and replaced if the server has closed it; one used a moment ago is not
tested, so a busy service spends no round trips on it."""

import asyncio

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError

from forum_shared import db as db_module
from forum_shared.db import Database
from forum_shared.testing import terminate_backend

BACKEND_PID = text("SELECT pg_backend_pid()")


@pytest.fixture
def pings(monkeypatch):
    """How many times a pooled connection was tested, on every engine made from now on."""
    counted = {"n": 0}
    original = db_module.create_engine

    def counting_engine(url, pool_size=20):
        engine = original(url, pool_size)
        ping = engine.dialect.do_ping

        def counting(dbapi_connection):
            counted["n"] += 1
            return ping(dbapi_connection)

        monkeypatch.setattr(engine.dialect, "do_ping", counting)
        return engine

    monkeypatch.setattr(db_module, "create_engine", counting_engine)
    return counted


async def _idle_connection_closed_by_server(url: str) -> Database:
    db = Database(url, pool_size=1)
    async with db.read() as session:
        pid = await session.scalar(BACKEND_PID)
    await terminate_backend(pid)
    await asyncio.sleep(0.2)
    return db


async def test_a_connection_the_server_closed_while_it_was_idle_is_replaced_before_use(
    postgres_database_url, monkeypatch
):
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.05)
    db = await _idle_connection_closed_by_server(await postgres_database_url("feedback", empty=True))
    try:
        async with db.read() as session:
            assert await session.scalar(text("SELECT 1")) == 1
    finally:
        await db.dispose()


async def test_untested_a_connection_the_server_closed_fails_its_first_statement(postgres_database_url, monkeypatch):
    """What the test of idle connections saves a request from (and a check that the test above can fail)."""
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 3600)
    db = await _idle_connection_closed_by_server(await postgres_database_url("feedback", empty=True))
    try:
        with pytest.raises(DBAPIError):
            async with db.read() as session:
                await session.scalar(text("SELECT 1"))
    finally:
        await db.dispose()


async def test_a_connection_used_a_moment_ago_is_not_tested_and_one_idle_longer_is(
    postgres_database_url, monkeypatch, pings
):
    monkeypatch.setattr(db_module, "PING_AFTER_IDLE_SECONDS", 0.3)
    db = Database(await postgres_database_url("feedback", empty=True), pool_size=1)
    try:
        for _ in range(20):  # back to back, as a busy service uses them
            async with db.transaction() as session:
                await session.execute(text("SELECT 1"))
        assert pings["n"] == 0
        await asyncio.sleep(0.4)
        async with db.transaction() as session:
            await session.execute(text("SELECT 1"))
        assert pings["n"] == 1
    finally:
        await db.dispose()
