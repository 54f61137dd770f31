"""SQLite in one hand-over per statement (`forum_shared.sqlite_connection`), through SQLAlchemy
as the services use it: the same rows, counts, errors and transactions as aiosqlite's own cursor,
with one trip to the connection's thread for each statement instead of three or four."""

import aiosqlite
import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError, OperationalError

from forum_shared import sqlite_connection
from forum_shared.db import Database

metadata = MetaData()
notes = Table("notes", metadata, Column("id", Integer, primary_key=True), Column("words", String(50), unique=True))


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'notes.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    yield database
    await database.dispose()


@pytest.fixture
def hand_overs(monkeypatch):
    """How many times statements were handed to a connection's thread."""
    counted = {"n": 0}
    original = sqlite_connection.Cursor._on_thread

    async def counting(self, fn, *args):
        counted["n"] += 1
        return await original(self, fn, *args)

    monkeypatch.setattr(sqlite_connection.Cursor, "_on_thread", counting)
    return counted


async def test_a_statement_and_its_rows_are_one_hand_over(db, hand_overs):
    async with db.transaction() as session:
        await session.execute(insert(notes), [{"words": f"note {n}"} for n in range(5)])
    async with db.read() as session:
        hand_overs["n"] = 0
        rows = (await session.execute(select(notes.c.words).order_by(notes.c.id))).scalars().all()
        assert hand_overs["n"] == 1
    assert rows == [f"note {n}" for n in range(5)]


async def test_rows_are_read_one_at_a_time_in_parts_or_all_at_once(db):
    async with db.transaction() as session:
        await session.execute(insert(notes), [{"words": f"note {n}"} for n in range(7)])
    async with db.engine.connect() as conn:
        raw = await conn.get_raw_connection()
        connection = raw.driver_connection
        assert isinstance(connection, sqlite_connection.Connection)
        async with connection.cursor() as c:
            await c.execute("SELECT words FROM notes ORDER BY id")
            assert [d[0] for d in c.description] == ["words"]
            assert await c.fetchone() == ("note 0",)
            assert await c.fetchmany(2) == [("note 1",), ("note 2",)]
            c.arraysize = 3
            assert await c.fetchmany() == [("note 3",), ("note 4",), ("note 5",)]
            assert await c.fetchall() == [("note 6",)]
            assert await c.fetchone() is None and await c.fetchall() == []


async def test_changes_say_how_many_rows_and_which_row_they_made(db):
    async with db.transaction() as session:
        made = await session.execute(insert(notes).values(words="first"))
        assert made.inserted_primary_key == (1,)
        await session.execute(insert(notes), [{"words": "second"}, {"words": "third"}])
        changed = await session.execute(update(notes).where(notes.c.id > 1).values(words=notes.c.words + "!"))
        assert changed.rowcount == 2
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(notes).where(notes.c.words.like("%!"))) == 2


async def test_errors_are_sqlalchemys_and_a_failed_transaction_leaves_nothing(db):
    with pytest.raises(IntegrityError):
        async with db.transaction() as session:
            await session.execute(insert(notes).values(words="twice"))
            await session.execute(insert(notes).values(words="twice"))
    with pytest.raises(OperationalError, match="no such table"):
        async with db.read() as session:
            await session.execute(text("SELECT * FROM nowhere"))
    async with db.read() as session:
        assert await session.scalar(select(func.count()).select_from(notes)) == 0


async def test_a_connection_back_in_the_pool_is_rolled_back_only_when_sqlite_has_a_transaction_open(
    db, monkeypatch
):
    handed: list[str] = []
    original = aiosqlite.Connection._execute

    async def noting(self, fn, *args, **kwargs):
        handed.append(getattr(fn, "__name__", ""))
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", noting)
    async with db.transaction() as session:
        await session.execute(insert(notes).values(words="kept"))
    assert "commit" in handed and "rollback" not in handed  # committed: nothing was left to roll back

    async with db.engine.connect() as conn:
        raw = (await conn.get_raw_connection()).driver_connection
        await raw.execute("INSERT INTO notes (words) VALUES ('left open')")
        assert raw.in_transaction
    assert "rollback" in handed and not raw.in_transaction
    async with db.read() as session:
        assert (await session.scalars(select(notes.c.words))).all() == ["kept"]
