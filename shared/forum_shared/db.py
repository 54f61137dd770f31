"""Database access for one service: an async engine, sessions, and one-writer-at-a-time on SQLite.

SQLite lets one writer in at a time; letting writers fight for its lock gives second-long tails, so
write transactions queue on an asyncio lock instead (WAL keeps readers unblocked). PostgreSQL needs
no such lock; its pool is sized to the expected concurrency so connections are not churned.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import DateTime, MetaData, Table, event
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DisconnectionError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.types import TypeDecorator

from forum_shared import sqlite_connection

if TYPE_CHECKING:
    from sqlalchemy.engine import Dialect
    from sqlalchemy.engine.interfaces import DBAPIConnection
    from sqlalchemy.pool import ConnectionPoolEntry

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A moment in time, stored as UTC and always read back with its time zone.

    SQLite keeps no offset, so an aware time is converted to UTC on the way in and marked UTC on
    the way out; naive times are refused rather than guessed at.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("a time without a time zone cannot be stored")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def new_metadata() -> MetaData:
    return MetaData(naming_convention=NAMING)


def insert_on_conflict(session: AsyncSession, table: Table) -> postgresql.Insert | sqlite.Insert:
    """An INSERT into `table` that can say what to do ON CONFLICT (nothing, or update), in the
    dialect of the session's database: both have the clause, each in its own construct."""
    if session.get_bind().dialect.name == "postgresql":
        return postgresql.insert(table)
    return sqlite.insert(table)


def create_engine(url: str, pool_size: int = 20) -> AsyncEngine:
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(url, async_creator=sqlite_connection.connector(parsed, {"timeout": 30}))

        @event.listens_for(engine.sync_engine, "connect")
        def _sqlite_pragmas(dbapi_conn: DBAPIConnection, _record: ConnectionPoolEntry) -> None:
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA busy_timeout=30000")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA synchronous=NORMAL")
            # What is deleted is overwritten with zeros, so an erased person's details do not
            # linger in free pages of the file (see Database.forget_on_disk for the WAL).
            cur.execute("PRAGMA secure_delete=ON")
            cur.close()

        return engine
    engine = create_async_engine(url, pool_size=pool_size, max_overflow=pool_size)
    ping_when_idle(engine, PING_AFTER_IDLE_SECONDS)
    return engine


# A pooled connection idle longer than this is tested before it is used; one used more recently is
# not (the server was there a moment ago), as HikariCP skips its check within 500 ms. On asyncpg a
# test is three round trips, and testing every checkout had cost a request and the relay six of
# their sixteen.
PING_AFTER_IDLE_SECONDS = 0.5


def ping_when_idle(engine: AsyncEngine, seconds: float) -> None:
    """Test a connection taken from the pool if it has been idle over `seconds`; one the server has
    closed (a restart, an idle timeout) is then replaced before anything is sent on it."""

    @event.listens_for(engine.sync_engine, "checkin")
    def _returned(_dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry) -> None:
        record.info["returned_at"] = time.monotonic()

    @event.listens_for(engine.sync_engine, "checkout")
    def _taken(dbapi_conn: DBAPIConnection, record: ConnectionPoolEntry, _proxy: object) -> None:
        returned = record.info.get("returned_at")
        if returned is None or time.monotonic() - returned <= seconds:
            return  # new, or in use a moment ago
        try:
            engine.dialect.do_ping(dbapi_conn)
        except Exception as exc:  # any failure means: use another connection
            raise DisconnectionError(f"a pooled connection no longer answers: {exc}") from exc


class Database:
    """Sessions for one service's database, with hooks that run after a commit."""

    def __init__(self, url: str, *, source: str = "forum", pool_size: int = 20) -> None:
        self.url = url
        self.engine = create_engine(url, pool_size)
        self.is_sqlite = self.engine.dialect.name == "sqlite"
        self._write_lock = asyncio.Lock() if self.is_sqlite else None
        self._after_commit: list[tuple[str, Callable[[Any], None]]] = []
        self._forgetting: asyncio.Task[bool] | None = None

        # A Session class of our own, so the commit hook sees only this database's sessions.
        session_class = type("ServiceSession", (Session,), {})
        event.listen(session_class, "after_commit", self._on_commit)
        self._sessions = async_sessionmaker(
            self.engine,
            expire_on_commit=False,
            sync_session_class=session_class,
            info={"source": source},
        )

    def on_commit(self, hook: Callable[[Any], None], when: str) -> None:
        """Run `hook(session.info[when])` after every commit that set `session.info[when]` (the
        outbox puts there the events it recorded, the mailer notes that it queued an email)."""
        self._after_commit.append((when, hook))

    def _on_commit(self, session: Session) -> None:
        noted = {when: session.info.pop(when) for when, _ in self._after_commit if when in session.info}
        for when, hook in self._after_commit:
            if when in noted:
                hook(noted[when])
        if session.info.pop("forget_on_disk", False):
            self._forgetting = asyncio.get_running_loop().create_task(self.forget_on_disk())

    @staticmethod
    def forget_after_commit(session: AsyncSession) -> None:
        """Ask, inside an erasure's transaction, for its old versions to leave the disk once it commits."""
        session.info["forget_on_disk"] = True

    async def forget_on_disk(self, attempts: int = 600) -> bool:
        """Make what was deleted unreadable in the database's files, too: on SQLite the write-ahead
        log still holds the old pages (names, addresses) until it is checkpointed and truncated.
        A long-running reader can hold that back, so it is tried again, up to about ten minutes;
        it is also done when the database is closed (a service that stopped in between does it when
        it next stops, as SQLite's checkpoint on close does too). Returns whether it was done.

        PostgreSQL keeps old row versions until VACUUM reclaims them (autovacuum does, soon after),
        and in its write-ahead log and backups for as long as they are kept: see the README."""
        if not self.is_sqlite:
            return True
        for attempt in range(attempts):
            async with self._writer(), self.engine.connect() as conn:
                # A reader still open makes the checkpoint wait: not for the 30 s a write would
                # (the busy timeout), but briefly, as this loop tries again anyway.
                await conn.exec_driver_sql("PRAGMA busy_timeout=50")
                try:
                    busy = (await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")).first()
                finally:
                    await conn.exec_driver_sql("PRAGMA busy_timeout=30000")
            if busy is not None and busy[0] == 0:
                return True
            await asyncio.sleep(min(0.05 * (attempt + 1), 1.0))
        return False

    @contextlib.asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """One unit of work: commits on success, rolls back on any error."""
        async with self._writer(), self._sessions() as session, session.begin():
            yield session

    @contextlib.asynccontextmanager
    async def read(self) -> AsyncIterator[AsyncSession]:
        """A session for queries only; it never takes the SQLite writer lock."""
        async with self._sessions() as session:
            yield session

    @contextlib.asynccontextmanager
    async def _writer(self) -> AsyncIterator[None]:
        if self._write_lock is None:
            yield
        else:
            async with self._write_lock:
                yield

    async def ping(self) -> None:
        from sqlalchemy import text

        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        if self._forgetting is not None and not self._forgetting.done():
            self._forgetting.cancel()
            # Its statement in hand still runs on the connection's thread: wait for it to end, so
            # nothing is left to answer an event loop that may close next.
            await asyncio.wait([self._forgetting])
        if self.is_sqlite:
            with contextlib.suppress(Exception):  # closing must not fail on a database that is gone
                await self.forget_on_disk(attempts=1)
        await self.engine.dispose()
