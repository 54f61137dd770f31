"""Fixtures for the membership service's tests: the service on a real nats-server and a real
database, and a way to deliver the meetings service's events to it as NATS would."""

from __future__ import annotations

import contextlib

import pytest

from forum_shared.events import Envelope
from forum_shared.testing import Person, deliver_event, ensure_stream, run_service, settings_for
from membership.app import create_app
from membership.config import Settings


@pytest.fixture
def start_membership(nats_server, database_url):
    """`async with start_membership() as svc:` runs the service on a fresh database."""

    @contextlib.asynccontextmanager
    async def start():
        # The meetings service owns the stream membership consumes from; it is not running here.
        await ensure_stream(nats_server.url, "meetings")
        settings = settings_for(
            Settings, database_url=await database_url("membership"), nats_url=nats_server.url
        )
        async with run_service(create_app, settings) as svc:
            yield svc

    return start


@pytest.fixture
def deliver(nats_server):
    """Publish an envelope into its owner's stream (created if the owner is not running), as the
    owner's outbox relay would. `msg_id` lets a test deliver the same event again after the
    stream's duplicate window, when only the consumer's inbox can tell it was seen."""

    async def publish(envelope: Envelope, msg_id: str | None = None) -> None:
        await deliver_event(nats_server.url, envelope, msg_id=msg_id)

    return publish


@pytest.fixture
def person():
    """`await person(svc)` is a member of the public; `await person(svc, "staff")` a signed-in
    staff member (also "admin" or "governor")."""

    async def make(svc, role: str | None = None) -> Person:
        return await svc.person(role)

    return make
