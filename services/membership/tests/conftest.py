"""Fixtures for the membership service's tests: the service on a real nats-server and a real
database, and a way to deliver the meetings service's events to it as NATS would."""

from __future__ import annotations

import contextlib

import pytest

from forum_shared.testing import Person, ensure_stream, run_service, settings_for
from membership.app import create_app
from membership.config import Settings


@pytest.fixture
def start_membership(nats_server, database_url):
    """`async with start_membership() as svc:` runs the service on a fresh database."""

    @contextlib.asynccontextmanager
    async def start():
        # The meetings service owns the stream membership consumes from; it is not running here.
        await ensure_stream(nats_server, "meetings")
        settings = settings_for(
            Settings, database_url=await database_url("membership"), **nats_server.settings("membership")
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
