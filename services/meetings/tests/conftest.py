"""Fixtures for the meetings service's tests: the use cases on a fresh SQLite database (the fast
tier), and the service on a real nats-server and a real database, other services' events
delivered through real NATS, and its own events read back."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from forum_shared.areas import DISTRICTS
from forum_shared.audit import list_audit
from forum_shared.events.base import Envelope
from forum_shared.events.membership import InvolvementRoleAssigned
from forum_shared.events.registry import events_of
from forum_shared.events.signposting import CommunityGroupRegistered
from forum_shared.identity.principal import Principal
from forum_shared.tables import outbox
from forum_shared.testing import ensure_stream, run_service, settings_for
from meetings.app import MIGRATIONS, create_app
from meetings.config import Settings
from meetings.schemas.meetings import MeetingCreate
from meetings.service import directory, schedule

AREAS = list(DISTRICTS)
STAFF = Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")


@pytest.fixture
async def db(use_case_db):
    """A fresh, migrated SQLite database for calling the use cases directly."""
    return await use_case_db(MIGRATIONS)


@pytest.fixture
def staff() -> Principal:
    return STAFF


@pytest.fixture
def schedule_in():
    """`await schedule_in(db, days=7, area="Fenland", public=False)`: a meeting scheduled by staff
    that many days from now (negative: in the past), two hours long, at a venue in Cambridge
    unless said otherwise."""

    async def make(db, days: float = 7, hours: float = 2, start: datetime | None = None, **fields: Any):
        start = start or datetime.now(UTC) + timedelta(days=days)
        values = {"starts_at": start, "ends_at": start + timedelta(hours=hours), "venue": "Town Hall",
                  "area": "Cambridge", **fields}
        planned = await schedule.schedule_meeting(db, STAFF, MeetingCreate(**values), AREAS)
        return planned.meeting

    return make


@pytest.fixture
def recorded():
    """`await recorded(db, MeetingScheduled)`: the events of that type the use cases wrote to the
    outbox, in order."""

    async def read(db, event_type) -> list:
        async with db.read() as session:
            rows = (await session.execute(select(outbox).order_by(outbox.c.position))).all()
        envelopes = [Envelope.decode(r.headers, r.body.encode()) for r in rows]
        return [e.data for e in envelopes if isinstance(e.data, event_type)]

    return read


@pytest.fixture
def strict_contracts():
    """While the test runs, meetings' event contracts refuse a field they do not declare (normally
    it is dropped without a word), so a use case still passing one, such as a cancellation's
    reason, fails instead of looking fine."""
    contracts = events_of("meetings")
    for contract in contracts:
        contract.model_config["extra"] = "forbid"
        contract.model_rebuild(force=True)
    yield
    for contract in contracts:
        contract.model_config["extra"] = "ignore"
        contract.model_rebuild(force=True)


@pytest.fixture
def audited():
    """`await audited(db)`: (action, target, details) of every audit entry, oldest first."""

    async def read(db) -> list[tuple[str, str | None, dict]]:
        async with db.read() as session:
            rows, _ = await list_audit(session, limit=500)
        return [(r["action"], r["target"], r["details"]) for r in reversed(rows)]

    return read


@pytest.fixture
def known_here():
    """`await known_here(db, group=("grp-1", "Lifecraft", ["Cambridge"]), holders=["m-1", "m-2"])`:
    a community group and role holders, as signposting's and membership's events would record them."""

    async def record(db, group: tuple[str, str, list[str]] | None = None, holders: tuple[str, ...] | list[str] = (),
                     since_days: int = 60) -> None:
        async with db.transaction() as session:
            if group:
                group_id, name, areas = group
                event = CommunityGroupRegistered(community_group_id=group_id, name=name, areas=areas)
                await directory.record_community_group(session, event, datetime.now(UTC))
            for member in holders:
                await directory.record_role_assigned(session, InvolvementRoleAssigned(
                    assignment_id=f"as-{member}", member_id=member, role_id="role-pop-up",
                    role_title="Pop-up forum facilitator",
                    starts_on=datetime.now(UTC).date() - timedelta(days=since_days),
                ))

    return record

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
