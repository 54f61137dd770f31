"""Fixtures for the membership service's tests: the service on a real nats-server and a real
database, and a way to deliver the meetings service's events to it as NATS would."""

from __future__ import annotations

import contextlib

import nats
import pytest
from nats.js.errors import NotFoundError

from forum_shared.events import Envelope, stream_for
from forum_shared.testing import run_service, settings_for
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
        await ensure_stream(nats_server.url, type(envelope.data).owner)
        nc = await nats.connect(nats_server.url)
        try:
            headers = {**envelope.headers(), "Nats-Msg-Id": msg_id or envelope.id}
            await nc.jetstream().publish(
                envelope.subject, envelope.body(), headers=headers, stream=envelope.data.stream()
            )
        finally:
            await nc.close()

    return publish


async def ensure_stream(nats_url: str, owner: str) -> None:
    """Create an owner's stream as the owner would, unless it exists already."""
    nc = await nats.connect(nats_url)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(stream_for(owner))
        except NotFoundError:
            await js.add_stream(name=stream_for(owner), subjects=[f"forum.{owner}.>"])
    finally:
        await nc.close()
