"""Idempotent consumers and dead letters.

A handler runs in one transaction together with an inbox row (consumer, event id): if the same
event arrives again, the row is already there and the event is acknowledged and skipped. An event
that keeps failing is kept as a dead letter with its error — never dropped — and can be replayed.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.events import Envelope, Event
from forum_shared.logs import caused_by, get_logger
from forum_shared.tables import dead_letters, inbox
from forum_shared.ui.audit import record_audit

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

    def __iter__(self):
        return iter(self.items.values())


async def process(db: Database, consumer: Consumer, envelope: Envelope) -> bool:
    """Run the handler once per event id. Returns False if the event was already processed."""
    with caused_by(envelope.id, envelope.correlation_id, event_id=envelope.id, consumer=consumer.name):
        try:
            async with db.transaction() as session:
                if await _seen(session, consumer.name, envelope.id):
                    log.debug("duplicate event skipped")
                    return False
                await session.execute(
                    insert(inbox).values(
                        consumer=consumer.name, event_id=envelope.id, processed_at=datetime.now(UTC)
                    )
                )
                await consumer.handler(session, envelope.data, envelope)
        except IntegrityError:
            # Another replica may have processed it at the same moment; if not, it is a real error.
            async with db.read() as session:
                if await _seen(session, consumer.name, envelope.id):
                    return False
            raise
        log.info("event processed", event_type=envelope.type)
        return True


async def _seen(session: AsyncSession, consumer: str, event_id: str) -> bool:
    found = await session.scalar(
        select(inbox.c.event_id).where(inbox.c.consumer == consumer, inbox.c.event_id == event_id)
    )
    return found is not None


async def store_dead_letter(
    db: Database,
    *,
    consumer: str,
    subject: str,
    headers: dict[str, str],
    body: bytes,
    error: str,
    attempts: int,
) -> None:
    event_id = headers.get("ce-id")
    now = datetime.now(UTC)
    async with db.transaction() as session:
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


async def list_dead_letters(db: Database, status: str | None = "dead") -> list[dict]:
    query = select(dead_letters).order_by(dead_letters.c.id)
    if status:
        query = query.where(dead_letters.c.status == status)
    async with db.read() as session:
        return [dict(row._mapping) for row in (await session.execute(query)).all()]


class ReplayFailed(Exception):
    pass


async def replay(db: Database, consumers: Consumers, dead_letter_id: int, actor: Any = "system") -> dict:
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
        await process(db, consumer, envelope)
    except Exception as exc:  # noqa: BLE001 - the reason is shown to the person replaying
        async with db.transaction() as session:
            await session.execute(
                update(dead_letters)
                .where(dead_letters.c.id == dead_letter_id)
                .values(error=f"replay failed: {exc}"[:4000], attempts=row.attempts + 1)
            )
        raise ReplayFailed(str(exc)) from exc
    async with db.transaction() as session:
        await session.execute(
            update(dead_letters)
            .where(dead_letters.c.id == dead_letter_id)
            .values(status="replayed", replayed_at=datetime.now(UTC))
        )
        await record_audit(
            session, actor, "dead_letter.replayed", f"dead_letter:{dead_letter_id}", {"consumer": row.consumer}
        )
        row = (
            await session.execute(select(dead_letters).where(dead_letters.c.id == dead_letter_id))
        ).first()
    return dict(row._mapping)
