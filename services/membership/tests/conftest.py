"""Fixtures for the membership service's tests: the service on a real nats-server and a real
database; and, for the fast tier, a migrated SQLite database to call the use cases on directly,
with the events and audit entries they wrote."""

from __future__ import annotations

import contextlib

import pytest
from sqlalchemy import select

from forum_shared.audit import ANONYMOUS
from forum_shared.events import Envelope
from forum_shared.identity.principal import Principal
from forum_shared.tables import audit_log, outbox
from forum_shared.testing import Person, ensure_stream, run_service, settings_for
from membership.app import MIGRATIONS, create_app
from membership.config import Settings
from membership.records import InvolvementRole, Member
from membership.schemas import MemberCreate, RoleCreate
from membership.service import joining, roles


@pytest.fixture
def start_membership(nats_server, database_url):
    """`async with start_membership() as svc:` runs the service on a fresh database; settings may be
    given, e.g. `start_membership(mail_url=mail_server.url)`."""

    @contextlib.asynccontextmanager
    async def start(**overrides):
        # The meetings service owns the stream membership consumes from; it is not running here.
        await ensure_stream(nats_server, "meetings")
        settings = settings_for(
            Settings,
            database_url=await database_url("membership"),
            **{**nats_server.settings("membership"), **overrides},
        )
        async with run_service(create_app, settings) as svc:
            yield svc

    return start


@pytest.fixture
def person():
    """`await person(svc)` is a member of the public; `await person(svc, "staff")` a signed-in
    staff member (also "admin" or "governor")."""

    async def make(svc, role: str | None = None) -> Person:
        return await svc.person(role)

    return make


# -- the fast tier: use cases called directly on SQLite, without NATS or HTTP ----------------
@pytest.fixture
async def db(use_case_db):
    """A fresh, migrated SQLite database for calling the use cases directly."""
    return await use_case_db(MIGRATIONS)


@pytest.fixture
def staff() -> Principal:
    return Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")


@pytest.fixture
def member(db):
    """`await member("Ann", area="Fenland")`: someone who joined with these details."""

    async def join(name: str, **details) -> Member:
        return await joining.join(db, ANONYMOUS, MemberCreate(display_name=name, **details))

    return join


@pytest.fixture
def role(db, staff):
    """`await role(title="Co-chair", paid=False)`: an advertised role (paid £12.50 an hour unless told)."""

    async def advertise(**details) -> InvolvementRole:
        body = {"title": "Facilitator", "description": "Pop-up forums in pairs.", "hours_per_month": 6,
                "paid": True, "hourly_rate": "12.50", "vacancies": 2, **details}
        return await roles.advertise_role(db, staff, RoleCreate(**body))

    return advertise


@pytest.fixture
def recorded():
    """`await recorded(db, MemberJoined)`: the events of that type the use cases wrote to the outbox,
    in order."""

    async def read(db, event_type) -> list:
        async with db.read() as session:
            rows = (await session.execute(select(outbox).order_by(outbox.c.position))).all()
        envelopes = [Envelope.decode(r.headers, r.body.encode()) for r in rows]
        return [e.data for e in envelopes if isinstance(e.data, event_type)]

    return read


@pytest.fixture
def audited():
    """`await audited(db)`: (actor, action, target, details) of each audit entry, oldest first."""

    async def read(db) -> list[tuple]:
        async with db.read() as session:
            rows = (await session.execute(select(audit_log).order_by(audit_log.c.id))).all()
        return [(r.actor, r.action, r.target, r.details) for r in rows]

    return read
