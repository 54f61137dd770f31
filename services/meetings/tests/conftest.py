"""Fixtures for the meetings service's tests: the service on a real nats-server and a real
database, other services' events delivered through real NATS, and its own events read back."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from forum_shared.testing import ensure_stream, run_service, settings_for
from meetings.app import create_app
from meetings.config import Settings

CONSUMED_FROM = ("feedback", "membership", "signposting")


@pytest.fixture
def start_meetings(nats_server, database_url):
    """`async with start_meetings() as mt:` runs the service on a fresh database, with the streams
    of the services it listens to in place so that every consumer can subscribe."""

    @contextlib.asynccontextmanager
    async def start(**overrides: Any):
        for owner in CONSUMED_FROM:
            await ensure_stream(nats_server, owner)
        settings = settings_for(
            Settings, database_url=await database_url("meetings"), **nats_server.settings("meetings"), **overrides
        )
        async with run_service(create_app, settings) as service:
            yield service

    return start


@pytest.fixture
def meeting_at():
    """`meeting_at(days=7, area="Fenland")`: the JSON to schedule an in-person meeting that many
    days from now (negative: in the past), two hours long unless said otherwise."""

    def body(days: float = 7, hours: float = 2, start: datetime | None = None, **fields: Any) -> dict:
        start = start or datetime.now(UTC) + timedelta(days=days)
        values = {
            "starts_at": start.isoformat(),
            "ends_at": (start + timedelta(hours=hours)).isoformat(),
            "venue": "Town Hall",
            "area": "Cambridge",
            **fields,
        }
        return {k: v for k, v in values.items() if v is not None}

    return body


@pytest.fixture
def browser_for():
    """`await browser_for(mt, "staff")`: a person with that role signed in through the sign-in
    page (None: a member of the public)."""

    async def make(mt, role: str | None = None):
        return await mt.person(role)

    return make


@pytest.fixture
async def audit_actions():
    """The audit log's actions and targets, newest first."""
    from forum_shared.audit import list_audit

    async def read(mt) -> list[tuple[str, str | None]]:
        async with mt.db.read() as session:
            rows, _ = await list_audit(session, limit=500)
        return [(r["action"], r["target"]) for r in rows]

    return read
