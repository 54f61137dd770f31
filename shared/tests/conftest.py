"""A toy service built on the kit alone, so the kit's guarantees are tested apart from any service."""

import asyncio
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, String, Table, select, update

from forum_shared import outbox
from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumers
from forum_shared.db import new_metadata
from forum_shared.events import FeedbackReceived, MemberJoined
from forum_shared.tables import kit_metadata
from forum_shared.testing import settings_for
from forum_shared.web import ServiceKit

toy_metadata = new_metadata()
notes = Table("notes", toy_metadata, Column("id", String(36), primary_key=True), Column("text", String(200)))
counter = Table("counter", toy_metadata, Column("id", Integer, primary_key=True), Column("seen", Integer))


class ToySettings(ServiceSettings):
    migrate_on_start: bool = False


class Toy:
    """What the toy consumer does; `broken_for` makes it fail for one area, as a bug would;
    `stuck_on` makes it hang on one area, as a process about to crash would (`stuck` is then set);
    `slow_for` makes each event take that many seconds; `handled` lists each event's area as its
    handling starts."""

    broken_for: str | None = None
    stuck_on: str | None = None
    stuck = asyncio.Event()
    slow_for: float = 0.0
    handled: list[str] = []


toy_consumers = Consumers("toy")


@toy_consumers.on(FeedbackReceived)
async def count_feedback(session, event: FeedbackReceived, envelope) -> None:
    if Toy.broken_for and event.area == Toy.broken_for:
        raise RuntimeError(f"cannot handle area {event.area}")
    Toy.handled.append(event.area or "")
    if Toy.stuck_on and event.area == Toy.stuck_on:
        Toy.stuck.set()
        await asyncio.Event().wait()
    await asyncio.sleep(Toy.slow_for)
    await session.execute(update(counter).where(counter.c.id == 1).values(seen=counter.c.seen + 1))


async def create_tables(db) -> None:
    async with db.engine.begin() as conn:
        await conn.run_sync(kit_metadata.create_all)
        await conn.run_sync(toy_metadata.create_all)
    async with db.transaction() as session:
        await session.execute(counter.insert().values(id=1, seen=0))


async def seen(db) -> int:
    async with db.read() as session:
        return await session.scalar(select(counter.c.seen))


async def add_note(session, note_id: str) -> None:
    """A state change and its event, in the caller's transaction."""
    await session.execute(notes.insert().values(id=note_id, text="hello"))
    await outbox.record(session, MemberJoined(member_id=note_id, joined_at=datetime.now(UTC)))


def make_kit(database_url: str, nats_url: str, consumers: Consumers = toy_consumers, **settings) -> ServiceKit:
    """The toy kit publishes as the membership owner (stream MEMBERSHIP) and consumes feedback."""
    return ServiceKit(
        name="membership",
        title="toy",
        settings=settings_for(ToySettings, database_url=database_url, nats_url=nats_url, **settings),
        migrations=None,
        consumers=consumers,
    )


@pytest.fixture(autouse=True)
def _healthy_toy():
    Toy.broken_for, Toy.stuck_on, Toy.stuck, Toy.slow_for, Toy.handled = None, None, asyncio.Event(), 0.0, []
    yield
    Toy.broken_for, Toy.stuck_on, Toy.slow_for = None, None, 0.0


@pytest.fixture
def own_nats_server(tmp_path):
    """The kit's guarantees do not depend on NATS accounts: its own tests use a bare nats-server."""
    from forum_shared.testing import NatsServer

    server = NatsServer(tmp_path / "nats", federated=False)
    server.start()
    yield server
    server.stop()
