"""Fixtures for the meetings service's tests: the service on a real nats-server and a real
database, other services' events delivered through real NATS, and its own events read back."""

from __future__ import annotations

import contextlib
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from forum_shared.events import Envelope, Event
from forum_shared.testing import deliver_event, ensure_stream, read_stream, run_service, settings_for
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
            await ensure_stream(nats_server.url, owner)
        settings = settings_for(
            Settings, database_url=await database_url("meetings"), nats_url=nats_server.url, **overrides
        )
        async with run_service(create_app, settings) as service:
            yield service

    return start


@pytest.fixture
def deliver(nats_server):
    """Publish another service's event into its owner's stream, as that owner's outbox would.
    `again=True` sends the same event (same ce-id) under a new Nats-Msg-Id, so JetStream keeps
    the copy and only the consumer's inbox can tell it was already processed."""

    async def publish(event: Event | Envelope, *, again: bool = False) -> Envelope:
        envelope = event if isinstance(event, Envelope) else Envelope.wrap(event, source=f"/forum/{event.owner}")
        return await deliver_event(nats_server.url, envelope, msg_id=f"{envelope.id}-again" if again else None)

    return publish


@pytest.fixture
def published(nats_server):
    """The meetings service's events of one type that mention `text` (e.g. a meeting id)."""

    async def events(event_type: type[Event], mentioning: str) -> list[Any]:
        messages = await read_stream(nats_server.url, "MEETINGS", event_type.subject())
        return [Envelope.decode(m.headers, m.data).data for m in messages if mentioning.encode() in m.data]

    return events


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


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_from(html: str) -> str:
    import re

    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class Browser:
    """A person's browser over httpx: cookies kept, pages asked for as HTML, forms sent with the
    CSRF token read from the page, as a browser would."""

    def __init__(self, client) -> None:
        self.client = client

    async def get(self, path: str, **kwargs):
        return await self.client.get(path, headers=BROWSER, **kwargs)

    async def submit(self, path: str, data: dict | None = None, *, form_page: str | None = None, csrf: bool = True):
        token = csrf_from((await self.get(form_page or path)).text) if csrf else None
        body = {**(data or {}), **({"csrf_token": token} if token else {})}
        return await self.client.post(path, data=body, headers=BROWSER)


@pytest.fixture
async def browser_for():
    """`await browser_for(mt, "staff")`: a person with that role signed in through the sign-in
    page (None: a member of the public)."""
    import httpx

    from forum_shared.testing import TEST_PASSWORD

    clients = []

    async def make(mt, role: str | None = None) -> Browser:
        client = httpx.AsyncClient(transport=mt.client._transport, base_url=mt.client.base_url)
        clients.append(client)
        person = Browser(client)
        if role:
            email = f"{role}-{uuid.uuid4().hex[:6]}@example.org"
            await mt.add_account(email, role)
            signed = await person.submit("/sign-in", {"email": email, "password": TEST_PASSWORD, "next": "/"})
            assert signed.status_code == 303, signed.text
        return person

    yield make
    for client in clients:
        await client.aclose()


@pytest.fixture
async def audit_actions():
    """The audit log's actions and targets, newest first."""
    from forum_shared.ui.audit import list_audit

    async def read(mt) -> list[tuple[str, str | None]]:
        async with mt.db.read() as session:
            rows, _ = await list_audit(session, limit=500)
        return [(r["action"], r["target"]) for r in rows]

    return read
