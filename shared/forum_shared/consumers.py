"""Idempotent consumers and dead letters.

A handler runs in one transaction together with an inbox row (consumer, event id): if the same
event arrives again, the row is already there and the event is acknowledged and skipped, however
long after (the inbox is kept as long as the streams keep events, so JetStream's short duplicate
window does not matter). The same transaction records how far the consumer has got in its stream
(`consumer_positions`), so a new or restored database is noticed and rebuilt from history.
The events a consumer fetches together are handled in one transaction (`process_batch`), with an
inbox row each; if one of them fails, the batch is handled again one event at a time.
An event that keeps failing is kept as a dead letter with its error — never dropped — and can be
replayed. Events are believed only from their owner (`check_from_owner`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database, insert_on_conflict
from forum_shared.events import Envelope, Event, InvalidEnvelope, stream_for
from forum_shared.events.event import source_of
from forum_shared.identity.principal import Principal
from forum_shared.logs import caused_by, get_logger
from forum_shared.tables import consumer_positions, dead_letters, inbox
from forum_shared.unit_of_work import unit_of_work

log = get_logger("forum.consumers")

Handler = Callable[[AsyncSession, Any, Envelope], Awaitable[None]]


@dataclass(frozen=True)
class Consumer:
    name: str  # durable consumer name, also the inbox key: "<service>-<handler>"
    event_type: type[Event]
    handler: Handler


class Consumers:
    """A service's event handlers: `@consumers.on(IssueEscalated)` above `async def f(session, event, envelope)`."""

    def __init__(self, service: str) -> None:
        self.service = service
        self.items: dict[str, Consumer] = {}

    def on(self, event_type: type[Event]) -> Callable[[Handler], Handler]:
        def register(handler: Handler) -> Handler:
            name = f"{self.service}-{handler.__name__}"
            if name in self.items:
                raise ValueError(f"two consumers named {name}")
            self.items[name] = Consumer(name, event_type, handler)
            return handler

        return register

    def __iter__(self) -> Iterator[Consumer]:
        return iter(self.items.values())


class NotFromOwner(InvalidEnvelope):
    """An event that claims to be something its subject's owner did not send."""


def check_from_owner(envelope: Envelope, subject: str, headers: dict[str, str]) -> None:
    """Believe an event only from the owner of the subject and stream it came through.

    NATS permissions already stop one partner publishing another's subjects; this is defence in
    depth behind them (a misconfigured account, a leaked key of the right account)."""
    owner = type(envelope.data).owner
    parts = subject.split(".")
    if len(parts) < 3 or parts[0] != "forum" or parts[1] != owner:
        raise NotFromOwner(
            f"not from its owner: a {envelope.type} event arrived on {subject}, which {owner} does not own"
        )
    if envelope.source != source_of(owner):
        raise NotFromOwner(
            f"not from its owner: ce-source {envelope.source!r} is not {source_of(owner)!r}, the owner of {subject}"
        )
    sourced = headers.get("Nats-Stream-Source")
    if sourced:
        stream = sourced.split(" ", 1)[0].split(":", 1)[0]
        if stream != stream_for(owner):
            raise NotFromOwner(f"not from its owner: it came from stream {stream}, not {stream_for(owner)}")


async def process(db: Database, consumer: Consumer, envelope: Envelope, position: int | None = None) -> bool:
    """Run the handler once per event id. Returns False if the event was already processed.
    `position` is the event's sequence in the consumer's stream, recorded with the effect."""
    with caused_by(envelope.id, envelope.correlation_id, event_id=envelope.id, consumer=consumer.name):
        async with db.transaction() as session:
            if position is not None:
                await record_position(session, consumer.name, position)
            if not await _claim(session, consumer.name, [envelope.id]):
                log.debug("duplicate event skipped")
                return False
            await consumer.handler(session, envelope.data, envelope)
        # Per event at DEBUG only: a busy forum (or a rebuild) would drown every other line.
        log.debug("event processed", event_type=envelope.type)
        return True


async def process_batch(
    db: Database, consumer: Consumer, items: Sequence[tuple[Envelope, int]]
) -> list[Exception | None]:
    """Run a fetched batch's handlers in one transaction, with one inbox row each (claimed in one
    statement), so one commit (and one fsync) serves the whole batch. Returns each event's error,
    or None when it is done (processed now, or before). If any handler fails, nothing of the
    batch stays and each event is processed alone (`process`): the failing one is retried on its
    own, the others are done once each, so a batch is never worse than one at a time."""
    if not items:
        return []
    try:
        async with db.transaction() as session:
            await record_position(session, consumer.name, max(position for _, position in items))
            new = await _claim(session, consumer.name, [envelope.id for envelope, _ in items])
            for envelope, _ in items:
                if envelope.id in new:
                    new.discard(envelope.id)  # once, should the batch hold it twice
                    with caused_by(envelope.id, envelope.correlation_id, event_id=envelope.id, consumer=consumer.name):
                        await consumer.handler(session, envelope.data, envelope)
        return [None] * len(items)
    except Exception as exc:  # noqa: BLE001 - one event failed: one at a time
        log.info("a batch went one event at a time", consumer=consumer.name, error=f"{type(exc).__name__}: {exc}"[:300])
    results: list[Exception | None] = []
    for envelope, position in items:
        try:
            await process(db, consumer, envelope, position)
            results.append(None)
        except Exception as exc:  # noqa: BLE001 - reported per event, to be retried or dead-lettered
            results.append(exc)
    return results


async def _claim(session: AsyncSession, consumer: str, event_ids: Sequence[str]) -> set[str]:
    """Write the inbox rows of the events `consumer` has not processed yet, in the caller's
    transaction, and return their ids: the ones to handle. One statement for a whole batch. A
    replica claiming the same event at the same moment waits for this transaction, then finds it
    claimed (PostgreSQL); on SQLite one writer claims at a time."""
    now = datetime.now(UTC)
    claimed = await session.scalars(
        insert_on_conflict(session, inbox).on_conflict_do_nothing().returning(inbox.c.event_id),
        [{"consumer": consumer, "event_id": event_id, "processed_at": now} for event_id in dict.fromkeys(event_ids)],
    )
    return set(claimed)


async def record_position(session: AsyncSession, consumer: str, position: int) -> None:
    """Note that `consumer` has got to `position` in its stream (never moving it back), inside the
    caller's transaction; replicas of one service may do this at the same moment."""
    values = {"consumer": consumer, "stream_sequence": position, "updated_at": datetime.now(UTC)}
    stmt = insert_on_conflict(session, consumer_positions).values(**values)
    # The larger of the two: GREATEST on PostgreSQL, the two-argument MAX on SQLite.
    larger = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
    newest = larger(consumer_positions.c.stream_sequence, stmt.excluded.stream_sequence)
    await session.execute(
        stmt.on_conflict_do_update(
            index_elements=[consumer_positions.c.consumer],
            set_={"stream_sequence": newest, "updated_at": stmt.excluded.updated_at},
        )
    )


async def recorded_position(db: Database, consumer: str) -> int:
    async with db.read() as session:
        found = await session.scalar(
            select(consumer_positions.c.stream_sequence).where(consumer_positions.c.consumer == consumer)
        )
    return found or 0


async def prune_inbox(db: Database, keep: timedelta) -> int:
    """Forget inbox rows older than `keep`: the streams keep no event that long, so none of those
    events can be delivered again. Returns how many were forgotten."""
    async with db.transaction() as session:
        result = await session.execute(delete(inbox).where(inbox.c.processed_at < datetime.now(UTC) - keep))
    # A DELETE's result is a CursorResult, which counts its rows; execute() is typed for any statement.
    return cast("CursorResult[*tuple[Any, ...]]", result).rowcount or 0


async def store_dead_letter(
    db: Database,
    *,
    consumer: str,
    subject: str,
    headers: dict[str, str],
    body: bytes,
    error: str,
    attempts: int,
    position: int | None = None,
) -> None:
    event_id = headers.get("ce-id")
    now = datetime.now(UTC)
    async with db.transaction() as session:
        if position is not None:
            await record_position(session, consumer, position)
        existing = await session.scalar(
            select(dead_letters.c.id).where(
                dead_letters.c.consumer == consumer,
                dead_letters.c.subject == subject,
                dead_letters.c.event_id == event_id,
            )
        )
        values = {"error": error[:4000], "attempts": attempts, "status": "dead", "dead_at": now}
        if existing is not None and event_id is not None:
            await session.execute(update(dead_letters).where(dead_letters.c.id == existing).values(**values))
        else:
            await session.execute(
                insert(dead_letters).values(
                    consumer=consumer,
                    event_id=event_id,
                    subject=subject,
                    headers=headers,
                    body=body.decode("utf-8", errors="replace"),
                    **values,
                )
            )
    log.error("event dead-lettered", consumer=consumer, event_id=event_id, error=error[:500])


async def list_dead_letters(db: Database, status: str | None = "dead") -> list[dict[str, Any]]:
    query = select(dead_letters).order_by(dead_letters.c.id)
    if status:
        query = query.where(dead_letters.c.status == status)
    async with db.read() as session:
        return [dict(row._mapping) for row in (await session.execute(query)).all()]


class ReplayFailed(Exception):
    pass


async def replay(
    db: Database, consumers: Consumers, dead_letter_id: int, actor: Principal | str = "system"
) -> dict[str, Any]:
    """Process a dead letter again (after a fix), recording who did it in the audit log.
    Raises LookupError or ReplayFailed."""
    async with db.read() as session:
        row = (
            await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
        ).first()
    if row is None:
        raise LookupError(f"no dead letter {dead_letter_id}")
    if row.status == "replayed":
        return dict(row._mapping)
    consumer = consumers.items.get(row.consumer)
    if consumer is None:
        raise ReplayFailed(f"this service no longer has a consumer called {row.consumer}")
    try:
        envelope = Envelope.decode(row.headers, row.body.encode())
        check_from_owner(envelope, row.subject, row.headers)
        await process(db, consumer, envelope)
    except Exception as exc:  # whatever it is, the reason is shown to the person replaying
        # Bookkeeping on the dead letter (its last error), not a change anyone accounts for: a
        # plain transaction, with no audit entry and not under the request's Idempotency-Key.
        async with db.transaction() as session:
            await session.execute(
                update(dead_letters)
                .where(dead_letters.c.id == dead_letter_id)
                .values(error=f"replay failed: {exc}"[:4000], attempts=row.attempts + 1)
            )
        raise ReplayFailed(str(exc)) from exc
    target = f"dead_letter:{dead_letter_id}"
    async with unit_of_work(db, actor, "dead_letter.replayed", target, {"consumer": row.consumer}) as work:
        await work.session.execute(
            update(dead_letters)
            .where(dead_letters.c.id == dead_letter_id)
            .values(status="replayed", replayed_at=datetime.now(UTC))
        )
        replayed = (
            await work.session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
        ).one()
    return dict(replayed._mapping)
