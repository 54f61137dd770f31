"""SQLite for an asyncio service in one hop per statement.

aiosqlite runs each SQLite connection on a thread of its own and hands it every call through a
queue; SQLAlchemy's adapter makes three or four such calls for one statement (make a cursor, run,
fetch the rows, close the cursor), and each hand-over costs more than a short statement itself
(the thread must be woken, take the GIL, and wake the event loop in turn). Here one statement is
one hand-over: the cursor is made, run, read to the end and closed on the connection's thread,
and the rows come back with it. The connection is still aiosqlite's, so commits, rollbacks,
closing and stopping work as SQLAlchemy expects, and SQLite still runs off the event loop.

Rows are always read in full, as SQLAlchemy's adapter already does for every ordinary cursor;
the services use no streaming results.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable, Iterable, Sequence
from functools import partial
from typing import Any

import aiosqlite
from aiosqlite.context import contextmanager
from sqlalchemy.dialects.sqlite.aiosqlite import SQLiteDialect_aiosqlite
from sqlalchemy.engine import URL

_Description = tuple[tuple[Any, ...], ...] | None
_Outcome = tuple[_Description, int, int | None, list[Any]]


def _run(conn: sqlite3.Connection, sql: str, parameters: Any, many: bool) -> _Outcome:
    """On the connection's thread: the statement, all its rows, and a closed cursor."""
    cursor = conn.cursor()
    try:
        if many:
            cursor.executemany(sql, parameters)
        else:
            cursor.execute(sql, parameters)
        rows = cursor.fetchall() if cursor.description else []
        return cursor.description, cursor.rowcount, cursor.lastrowid, rows
    finally:
        cursor.close()


class Cursor(aiosqlite.Cursor):
    """A cursor whose statement and rows arrive together; reading rows never waits."""

    def __init__(self, conn: Connection) -> None:
        self.iter_chunk_size = conn._iter_chunk_size
        self._conn = conn
        self._description: _Description = None
        self._rowcount = -1
        self._lastrowid: int | None = None
        self._rows: list[Any] = []
        self._next = 0
        self._arraysize = 1

    async def _on_thread(self, fn: Callable[..., Any], *args: Any) -> Any:
        hand_over: Callable[..., Awaitable[Any]] = self._conn._execute  # untyped in aiosqlite
        return await hand_over(fn, *args)

    async def execute(self, sql: str, parameters: Iterable[Any] | None = None) -> Cursor:
        return self._took(await self._on_thread(_run, self._conn._conn, sql, parameters or (), False))

    async def executemany(self, sql: str, parameters: Iterable[Iterable[Any]]) -> Cursor:
        return self._took(await self._on_thread(_run, self._conn._conn, sql, parameters, True))

    def _took(self, outcome: _Outcome) -> Cursor:
        self._description, self._rowcount, self._lastrowid, self._rows = outcome
        self._next = 0
        return self

    async def executescript(self, sql_script: str) -> Cursor:
        await self._on_thread(self._conn._conn.executescript, sql_script)
        return self._took((None, -1, None, []))

    def _take(self, count: int) -> list[Any]:
        taken = self._rows[self._next : self._next + count]
        self._next += len(taken)
        return taken

    async def fetchone(self) -> Any:
        taken = self._take(1)
        return taken[0] if taken else None

    async def fetchmany(self, size: int | None = None) -> Sequence[Any]:
        return self._take(size if size is not None else self.arraysize)

    async def fetchall(self) -> Sequence[Any]:
        return self._take(len(self._rows))

    async def close(self) -> None:
        self._rows, self._next = [], 0

    @property
    def rowcount(self) -> int:
        return self._rowcount

    @property
    def lastrowid(self) -> int | None:
        return self._lastrowid

    @property
    def arraysize(self) -> int:
        return self._arraysize

    @arraysize.setter
    def arraysize(self, value: int) -> None:
        self._arraysize = value

    @property
    def description(self) -> _Description:  # type: ignore[override]  # sqlite3's own, as it is
        return self._description

    @property
    def connection(self) -> sqlite3.Connection:
        return self._conn._conn


class Connection(aiosqlite.Connection):
    @contextmanager
    async def cursor(self) -> Cursor:  # type: ignore[override]  # aiosqlite's types it the same way
        """A cursor made without a hand-over: its SQLite cursor lives only while a statement runs."""
        return Cursor(self)

    async def rollback(self) -> None:
        """Without a hand-over when SQLite has no transaction open, so nothing to roll back: the
        pool rolls back every connection it takes back, even one whose transaction committed."""
        if self._connection is not None and not self._connection.in_transaction:
            return
        await super().rollback()


def connector(url: URL, connect_args: dict[str, Any]) -> Callable[[], Connection]:
    """What `create_async_engine(async_creator=...)` calls for each new connection: SQLite opened
    with the arguments SQLAlchemy's aiosqlite dialect would use for `url`, plus `connect_args`."""
    args, params = SQLiteDialect_aiosqlite().create_connect_args(url)
    open_database = partial(sqlite3.connect, *args, **{**params, **connect_args})

    def connect() -> Connection:
        connection = Connection(open_database, iter_chunk_size=64)
        connection._thread.daemon = True  # as SQLAlchemy's dialect makes aiosqlite's
        return connection

    return connect
