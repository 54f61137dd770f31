"""Fixtures for the feedback service's tests: the running service, and a way to publish other
services' events into real NATS."""

import contextlib
from typing import Any

import pytest

from feedback.app import create_app
from feedback.config import Settings
from forum_shared.testing import ensure_stream, run_service, settings_for


@pytest.fixture
def start_feedback(nats_server, database_url, other_streams):
    """`async with start_feedback(cluster_min_sources=2) as fb:` runs the service on a fresh database.

    The streams it consumes from exist first, as in a running forum: a service stopped while its
    consumers still wait for a missing stream can hang on shutdown (see the kit's Messaging.run).
    """

    @contextlib.asynccontextmanager
    async def start(**overrides: Any):
        if "database_url" not in overrides:
            overrides["database_url"] = await database_url("feedback")
        settings = settings_for(Settings, **nats_server.settings("feedback"), **overrides)
        async with run_service(create_app, settings) as service:
            yield service

    return start


@pytest.fixture
async def other_streams(nats_server) -> None:
    """The streams of the services whose events feedback consumes, as if they were running."""
    for owner in ("meetings", "signposting", "membership"):
        await ensure_stream(nats_server, owner)
