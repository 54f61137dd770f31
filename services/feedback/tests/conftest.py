"""Fixtures for the feedback service's tests: the running service, a way to publish other
services' events into real NATS, and for the fast tier a fresh database with the events and
audit entries the use cases wrote."""

import contextlib
import functools
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from feedback.app import MIGRATIONS, create_app
from feedback.config import DEFAULT_THEMES, Settings
from feedback.domain import Rules
from feedback.service import reactions, themes
from forum_shared.audit import count_audit
from forum_shared.events.signposting import CommunityGroupRegistered
from forum_shared.identity.principal import Principal
from forum_shared.tables import outbox
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
            # `await fb.list_in_directory("grp-a")`: the directory lists the group.
            service.list_in_directory = functools.partial(list_in_directory, service.db)
            yield service

    return start


@pytest.fixture
async def other_streams(nats_server) -> None:
    """The streams of the services whose events feedback consumes, as if they were running."""
    for owner in ("meetings", "signposting", "membership"):
        await ensure_stream(nats_server, owner)


# -- the fast tier: use cases called directly on SQLite, no NATS and no HTTP --------------------
@pytest.fixture
async def db(use_case_db):
    """A fresh migrated SQLite database holding the default theme list."""
    database = await use_case_db(MIGRATIONS)
    await themes.seed_default_themes(database, DEFAULT_THEMES)
    return database


@pytest.fixture
def rules() -> Rules:
    return Rules()


@pytest.fixture
def staff() -> Principal:
    return Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")


@pytest.fixture
def partner() -> Principal:
    return Principal(kind="token", id="token-sun", name="SUN Network", role="partner")


async def list_in_directory(db, *group_ids: str) -> None:
    """The signposting directory lists these groups, as its events would have told the service
    (the reaction those events cause, in a transaction as the consumer's)."""
    async with db.transaction() as session:
        for group_id in group_ids:
            event = CommunityGroupRegistered(community_group_id=group_id, name=f"Group {group_id}", areas=[])
            await reactions.note_community_group(session, event, datetime.now(UTC))


@pytest.fixture
def directory(db):
    """`await directory("grp-a", "grp-b")`: the signposting directory lists these groups."""

    async def listed(*group_ids: str) -> None:
        await list_in_directory(db, *group_ids)

    return listed


@pytest.fixture
def governor() -> Principal:
    return Principal(kind="account", id="governor-1", name="Ann Governor", role="governor")


@pytest.fixture
def recorded(db):
    """`await recorded(IssueEscalated)`: the events of that type the use cases put in the outbox, in order."""

    async def events(event_type: Any) -> list[Any]:
        async with db.read() as session:
            bodies = await session.scalars(
                select(outbox.c.body).where(outbox.c.subject == event_type.subject()).order_by(outbox.c.position)
            )
            return [event_type.model_validate_json(body) for body in bodies]

    return events


@pytest.fixture
def audited(db):
    """`await audited("feedback.triaged")`: how many audit entries of that action were written."""

    async def count(action: str) -> int:
        async with db.read() as session:
            return await count_audit(session, action=action)

    return count
