"""Fixtures for the membership service's tests: the service on a real nats-server and a real
database, and a way to deliver the meetings service's events to it as NATS would."""

from __future__ import annotations

import contextlib
import re

import httpx
import pytest

from forum_shared.events import Envelope
from forum_shared.testing import TEST_PASSWORD, deliver_event, ensure_stream, run_service, settings_for
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


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class Person:
    """Someone using the pages in a browser: cookies kept, forms posted with the page's CSRF token."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, path: str, **kwargs) -> httpx.Response:
        return await self.client.get(path, headers=BROWSER, **kwargs)

    async def post(self, path: str, data: dict | None = None, *, form_page: str | None = None):
        """Post `data` as the form on `form_page` (default: the same path) would, with its token."""
        token = csrf_from((await self.get(form_page or path)).text)
        return await self.client.post(path, data={**(data or {}), "csrf_token": token}, headers=BROWSER)


@pytest.fixture
async def person():
    """`await person(svc)` is a member of the public; `await person(svc, "staff")` a signed-in
    staff member (also "admin" or "governor")."""
    made: list[httpx.AsyncClient] = []

    async def make(svc, role: str | None = None) -> Person:
        client = httpx.AsyncClient(transport=svc.client._transport, base_url=svc.client.base_url)
        made.append(client)
        someone = Person(client)
        if role:
            email = f"{role}.{len(made)}@example.org"
            await svc.add_account(email, role)
            signed = await someone.post("/sign-in", {"email": email, "password": TEST_PASSWORD, "next": "/"})
            assert signed.status_code == 303, signed.text
        return someone

    yield make
    for client in made:
        await client.aclose()
