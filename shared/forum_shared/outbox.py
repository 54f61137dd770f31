"""Transactional outbox: an event is written in the same transaction as the change it reports,
and a relay publishes it to JetStream afterwards.

The relay publishes rows in order with `Nats-Msg-Id` = event id, marks a row only after JetStream's
PubAck, and retries forever with backoff: there is no "failed" state, an event waits until NATS is
back. If the relay dies between publish and mark, the row is published again with the same id and
JetStream drops the duplicate (within the stream's duplicate window); consumers are idempotent too.

**The order kept is per aggregate, in commit order.** A row's position comes from a sequence when
it is inserted, and transactions commit in their own order, so positions alone promise nothing
across concurrent transactions. On PostgreSQL, `record` first takes a transaction-scoped advisory
lock on the event's aggregate (`Event.aggregate`: one meeting, escalation, member or group): a
second transaction about the same aggregate waits there until the first commits, so it gets a
later position, and the relays (any number, one at a time, each from the earliest unpublished row)
publish committed rows in position order, so the two in commit order. Changes to
different aggregates may be published in either order. On SQLite one writer commits at a time, so
positions are commit order outright.

**On SQLite the relay is handed what was committed.** One relay serves one SQLite file, and after
each commit this process's new rows are handed to it in memory, so it publishes them without
reading them back, and marks them published in one write every `mark_seconds` rather than one per
commit. It trusts what it is handed only while the positions follow on, without a gap, from the last
row it published: a row written by another process (a command) leaves a gap, and the relay reads the
table instead, as it does at start, after any failure and on its timer. A row published but not yet
marked when the process stops is published again with the same id, and JetStream drops it.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import BigInteger, String, all_, any_, bindparam, delete, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.events import Envelope, Event
from forum_shared.logs import current_cause, get_logger
from forum_shared.tables import outbox
from forum_shared.tasks import stop_if_cancelled

log = get_logger("forum.outbox")

Publish = Callable[[str, bytes, dict[str, str]], Awaitable[Any]]


async def record(session: AsyncSession, event: Event) -> Envelope:
    """Add `event` to the outbox inside the caller's transaction; the relay wakes on commit."""
    causation_id, correlation_id = current_cause()
    envelope = Envelope.wrap(
        event,
        source=session.info.get("source", "forum"),
        causation_id=causation_id,
        correlation_id=correlation_id,
    )
    headers, body = envelope.headers(), envelope.body().decode()
    values = {"event_id": envelope.id, "subject": envelope.subject, "headers": headers,
              "body": body, "created_at": envelope.time, "attempts": 0}
    if session.get_bind().dialect.name == "postgresql":
        # The aggregate's lock first, held until commit, then the row and its position (see above).
        position = (await session.execute(_RECORD_LOCKED, {**values, "aggregate": event.aggregate()})).scalar_one()
    else:
        result = await session.execute(_RECORD, values)
        position = result.inserted_primary_key[0]  # type: ignore[attr-defined]  # an INSERT's result
    # Handed to the relay once the transaction commits (`Database.on_commit`).
    committed = session.info.setdefault(COMMITTED, [])
    if session.in_nested_transaction():
        session.info[READ_THE_TABLE] = True
    else:
        committed.append(Pending(position, envelope.id, envelope.subject, headers, body))
    log.debug("event recorded", event_id=envelope.id, event_type=envelope.type)
    return envelope


_RECORD = insert(outbox)  # made once: each event's insert is then only its values
# PostgreSQL: the same insert, after taking the aggregate's transaction-scoped lock in the same
# statement (a MATERIALIZED CTE is run before the row it feeds takes its position from the sequence).
_COLUMNS = ("event_id", "subject", "headers", "body", "created_at", "attempts")
_AGGREGATE_LOCK = (
    select(func.pg_advisory_xact_lock(func.hashtextextended(bindparam("aggregate", type_=String()), 0)))
    .cte("aggregate_lock")
    .prefix_with("MATERIALIZED")
)
_LOCKED_VALUES = select(*(bindparam(c, type_=outbox.c[c].type) for c in _COLUMNS)).select_from(_AGGREGATE_LOCK)
_RECORD_LOCKED = insert(outbox).from_select(list(_COLUMNS), _LOCKED_VALUES).returning(outbox.c.position)

# The key of `session.info` under which a transaction's new rows wait for its commit, and the one
# that tells the relay to read the table rather than trust what it was handed (an erasure deleted
# rows, or a savepoint that may yet be rolled back recorded some).
COMMITTED = "outbox"
READ_THE_TABLE = "outbox: read the table"


class Pending(NamedTuple):
    """An outbox row still to publish, as read from the table or handed over on commit."""

    position: int
    event_id: str
    subject: str
    headers: dict[str, str]
    body: str


async def forget(session: AsyncSession, identifier: str) -> None:
    """On erasure, delete the outbox rows whose event mentions `identifier`, published or not:
    they hold only ids, but erasure means all of it (an unsent one is overtaken by the erasure)."""
    await session.execute(delete(outbox).where(outbox.c.body.contains(identifier)))
    session.info[READ_THE_TABLE] = True


class OutboxRelay:
    """Publishes outbox rows in order. Several replicas may run it against one PostgreSQL database."""

    def __init__(
        self,
        db: Database,
        publish: Publish,
        *,
        ready: Callable[[], bool] = lambda: True,
        poll_seconds: float = 2.0,
        batch_size: int = 500,
        max_backoff: float = 10.0,
        ack_timeout: float = 5.0,
        mark_seconds: float = 0.2,
        commit_seconds: float = 0.25,
    ) -> None:
        """`publish(subject, body, headers)` sends one event; it may return an `asyncio.Future` of
        JetStream's acknowledgement (`Messaging.send`), so a whole batch is in flight at once, or
        return once acknowledged (`Messaging.publish`)."""
        self.db = db
        self.publish = publish
        self.ready = ready
        self.poll_seconds = poll_seconds
        self.batch_size = batch_size
        self.max_backoff = max_backoff
        self.ack_timeout = ack_timeout
        self.mark_seconds = mark_seconds
        self.commit_seconds = commit_seconds
        self._wake = asyncio.Event()
        # Called with how many rows were published, once JetStream acknowledged them and the relay's
        # marks were committed (e.g. to count them in the service's metrics).
        self.on_published: list[Callable[[int], None]] = []
        # SQLite: rows handed over on commit, the position that must come next for them to be
        # trusted (None: read the table), and the events published but not yet marked (by id: an
        # erasure may delete the last row, and SQLite then gives its position to the next one).
        self._handed: list[Pending] = []
        self._next: int | None = None
        self._told_to_read = 0
        self._unmarked: list[str] = []
        self._unmarked_since = 0.0
        db.on_commit(self.hand_over, when=COMMITTED)
        db.on_commit(self.read_the_table, when=READ_THE_TABLE)

    def wake(self) -> None:
        self._wake.set()

    def hand_over(self, rows: list[Pending]) -> None:
        """After a commit: the rows it added, in position order."""
        if self.db.is_sqlite:
            if len(self._handed) + len(rows) <= 2 * self.batch_size:
                self._handed.extend(rows)
            else:  # far behind (NATS is away): the table has them all
                self._handed.clear()
        self.wake()

    def read_the_table(self, _: object = None) -> None:
        self._handed.clear()
        self._next = None
        self._told_to_read += 1  # what is being published now does not make it trusted again

    async def run(self) -> None:
        try:
            await self._run()
        finally:
            # Rows published and not yet marked would be published again (and dropped by
            # JetStream as duplicates); marking them now saves that.
            with contextlib.suppress(BaseException):
                await self._mark_published()

    async def _run(self) -> None:
        backoff = 0.1
        while True:
            stop_if_cancelled()
            if not self.ready():
                # Not connected: nothing to try; wait to be woken on reconnect (or check again soon).
                await self._sleep(1.0)
                continue
            try:
                published = await self.publish_pending()
            except Exception as exc:  # noqa: BLE001 - any failure means: wait and try again
                stop_if_cancelled()
                log.warning("outbox publish failed; will retry", error=str(exc), retry_in=backoff)
                await self._note_failure(exc)
                await self._sleep(backoff)
                backoff = min(backoff * 2, self.max_backoff)
                continue
            backoff = 0.1
            if published < self.batch_size:
                # With rows still to mark, come back when they are due (reading the table then).
                await self._sleep(self.mark_seconds if self._unmarked else self.poll_seconds)

    async def _sleep(self, seconds: float) -> None:
        # asyncio.timeout, not wait_for: on Python 3.11 wait_for can swallow a cancellation.
        try:
            async with asyncio.timeout(seconds):
                await self._wake.wait()
        except TimeoutError:
            pass
        self._wake.clear()

    async def publish_pending(self) -> int:
        """Publish pending rows (on SQLite one batch; on PostgreSQL batch after batch while its claim
        lasts); returns how many were published."""
        if self.db.is_sqlite:
            return await self._publish_sqlite()
        return await self._publish_claimed()

    async def _publish_sqlite(self) -> int:
        # One relay per SQLite file: the rows it was handed, or else read without the writer lock,
        # so requests are not held up while NATS is slow; marked in one short write.
        told = self._told_to_read
        rows = self._take_handed()
        handed = rows is not None
        if rows is None:
            await self._mark_published()  # first, or the read would find them still to publish
            rows = await self._read_pending()
        done, error = await self._publish_rows(rows)
        if done:
            if not self._unmarked:
                self._unmarked_since = asyncio.get_running_loop().time()
            self._unmarked += [row.event_id for row in done]
            if self._told_to_read == told:
                self._next = done[-1].position + 1
        if error:
            self.read_the_table()
        if error or not handed or self._marks_due():
            await self._mark_published()
        if error:
            raise error
        return len(done)

    def _take_handed(self) -> list[Pending] | None:
        """Up to a batch of the rows handed over, if they follow on from the last one published;
        None when the table must be read instead (nothing handed, or a gap)."""
        expected = self._next
        if expected is None or not self._handed:
            self._handed.clear()
            return None
        rows: list[Pending] = []
        seen = 0  # handed rows the last read of the table found already
        for row in self._handed:
            if not rows and row.position < expected:
                seen += 1
                continue
            if row.position != expected or len(rows) == self.batch_size:
                break
            rows.append(row)
            expected += 1
        if not rows:
            self._handed.clear()
            return None
        del self._handed[: seen + len(rows)]
        return rows

    async def _read_pending(self) -> list[Pending]:
        told = self._told_to_read
        async with self.db.read() as session:
            # The highest position first: if nothing is pending, the next row handed over must
            # follow it (a row committed in between would be among the pending).
            highest = await session.scalar(_HIGHEST)
            rows = (await session.execute(_PENDING, {"limit": self.batch_size})).all()
        if self._told_to_read == told:
            self._next = rows[-1].position + 1 if rows else (highest or 0) + 1
        return [Pending(*row) for row in rows]

    def _marks_due(self) -> bool:
        return len(self._unmarked) >= self.batch_size or (
            asyncio.get_running_loop().time() - self._unmarked_since >= self.mark_seconds
        )

    async def _mark_published(self) -> None:
        if not self._unmarked:
            return
        event_ids, self._unmarked = self._unmarked, []
        try:
            async with self.db.transaction() as session:
                await _mark(session, event_ids)
        except BaseException:
            self._unmarked = event_ids + self._unmarked
            raise
        self._announce(len(event_ids))

    async def _publish_claimed(self) -> int:
        # One replica publishes at a time (a transaction-scoped advisory lock; the others find it
        # taken and wait for their next turn), always from the earliest unpublished row: a replica
        # that claimed rows past another's batch could publish a later change to an aggregate
        # before an earlier one still in that batch. While a batch is in flight the same
        # transaction marks the one before it and claims the next, so the database's work waits on
        # nobody; it commits once `commit_seconds` have passed or nothing more is pending.
        published, error = 0, None
        async with self.db.transaction() as session:
            rows = await self._claim(session, [])
            marking: list[Pending] = []
            until = asyncio.get_running_loop().time() + self.commit_seconds
            while rows:
                publishing = asyncio.ensure_future(self._publish_rows(rows))
                try:
                    await self._mark_claimed(session, marking)
                    more = len(rows) == self.batch_size and asyncio.get_running_loop().time() < until
                    following = await self._claim(session, rows) if more else []
                except BaseException:
                    publishing.cancel()  # published again later, and dropped by JetStream as duplicates
                    with contextlib.suppress(BaseException):
                        await publishing
                    raise
                published += len(marking)
                done, error = await publishing
                marking, rows = done, [] if error else following
            await self._mark_claimed(session, marking)
            published += len(marking)
        if published:
            self._announce(published)
        if error:
            raise error
        return published

    async def _claim(self, session: AsyncSession, in_flight: Sequence[Pending]) -> list[Pending]:
        """The earliest unpublished rows, locked, apart from those still in flight."""
        positions = [row.position for row in in_flight]
        return [Pending(*row) for row in await session.execute(
            _CLAIMED, {"limit": self.batch_size, "in_flight": positions})]

    @staticmethod
    async def _mark_claimed(session: AsyncSession, rows: Sequence[Pending]) -> None:
        if rows:
            # By position: the rows are locked until this commits, and positions are never reused here.
            await session.execute(_MARK_CLAIMED, {"positions": [row.position for row in rows],
                                                  "at": datetime.now(UTC)})

    async def _publish_rows(
        self, rows: Sequence[Pending]
    ) -> tuple[list[Pending], Exception | None]:
        """Send the rows in order on one connection with their acknowledgements still to come (a
        window of a batch in flight), then take the acknowledgements in the same order: the rows
        marked are the acknowledged prefix. JetStream stores one connection's messages in the order
        they were sent, so the window keeps the order that publishing one at a time would."""
        sent: list[tuple[Pending, Any]] = []
        error: Exception | None = None
        for row in rows:
            try:
                sent.append((row, await self.publish(row.subject, row.body.encode(), dict(row.headers))))
            except Exception as exc:  # noqa: BLE001 - stop at the first failure to keep order
                error = exc
                break
        done: list[Pending] = []
        try:
            # One time limit for the batch's acknowledgements (one each cost a fifth of the relay's time).
            async with asyncio.timeout(self.ack_timeout):
                for row, ack in sent:
                    if isinstance(ack, asyncio.Future):
                        await ack
                    done.append(row)
        except Exception as exc:  # noqa: BLE001 - the rest waits for the next round, in order
            for _, later in sent[len(done):]:
                if isinstance(later, asyncio.Future):
                    later.cancel()
            return done, error or exc
        return done, error

    def _announce(self, count: int) -> None:
        for hook in self.on_published:
            try:
                hook(count)
            except Exception as exc:  # noqa: BLE001 - a listener's bug must not hold up publishing
                log.warning("outbox listener failed", error=str(exc))

    async def _note_failure(self, exc: Exception) -> None:
        try:
            async with self.db.transaction() as session:
                head = await session.scalar(
                    select(func.min(outbox.c.position)).where(outbox.c.published_at.is_(None))
                )
                if head is not None:
                    await session.execute(
                        update(outbox)
                        .where(outbox.c.position == head)
                        .values(attempts=outbox.c.attempts + 1, last_error=str(exc)[:2000])
                    )
        except Exception as db_exc:  # noqa: BLE001 - noting a failure must never stop the relay
            log.warning("could not note outbox failure", error=str(db_exc))


# The relay's statements, made once (it runs them after every commit): the next rows to publish
# (in the order of `Pending`'s fields), and marking those JetStream acknowledged.
_PENDING = (
    select(outbox.c.position, outbox.c.event_id, outbox.c.subject, outbox.c.headers, outbox.c.body)
    .where(outbox.c.published_at.is_(None))
    .order_by(outbox.c.position)
    .limit(bindparam("limit"))
)
# PostgreSQL: the same rows, if this replica takes the relay's lock, asked in the same statement
# (once: a subquery of no row's values is run before any row is read, and none is if it is taken).
_CLAIMED = _PENDING.where(
    select(func.pg_try_advisory_xact_lock(func.hashtextextended("outbox relay", 0))).scalar_subquery(),
    outbox.c.position != all_(bindparam("in_flight", type_=ARRAY(BigInteger))),
).with_for_update()
_HIGHEST = select(func.max(outbox.c.position))
_MARK = (
    update(outbox)
    .where(outbox.c.event_id.in_(bindparam("event_ids", expanding=True)))
    .values(published_at=bindparam("at"))
)
# PostgreSQL: marking a claimed batch, by position (one array, not a parameter per event id).
_MARK_CLAIMED = (
    update(outbox)
    .where(outbox.c.position == any_(bindparam("positions", type_=ARRAY(BigInteger))))
    .values(published_at=bindparam("at"))
)


async def _mark(session: AsyncSession, event_ids: list[str]) -> None:
    if event_ids:
        await session.execute(_MARK, {"event_ids": event_ids, "at": datetime.now(UTC)})


async def pending_count(db: Database) -> int:
    async with db.read() as session:
        pending = select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
        return (await session.execute(pending)).scalar_one()
