"""Prometheus metrics and log format, on the toy service over a real nats-server and database."""

import asyncio
import contextlib
import json
import logging
from datetime import UTC, datetime

import httpx
import nats
import pytest
import structlog
from fastapi import APIRouter, HTTPException
from prometheus_client.parser import text_string_to_metric_families

from forum_shared import logs
from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumers
from forum_shared.events import Envelope, FeedbackReceived
from forum_shared.events.event import source_of
from forum_shared.testing import RunningService, wait_for

from .conftest import Toy, add_note, create_tables, make_kit, toy_consumers

CONSUMER = "toy-count_feedback"


class Scrape:
    """One /metrics answer, parsed as Prometheus would."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.families = {f.name: f for f in text_string_to_metric_families(text)}
        self.samples = {
            (s.name, frozenset(s.labels.items())): s.value for f in self.families.values() for s in f.samples
        }

    def value(self, name: str, **labels: str) -> float | None:
        return self.samples.get((name, frozenset(labels.items())))

    def label_values(self) -> set[str]:
        return {value for _name, labels in self.samples for _key, value in labels}


async def scrape(client: httpx.AsyncClient) -> Scrape:
    response = await client.get("/metrics")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("text/plain")
    return Scrape(response.text)


notes_api = APIRouter()


@notes_api.get("/notes/{note_id}")
async def a_note(note_id: str) -> dict:
    if note_id == "missing":
        raise HTTPException(404, "No such note.")
    return {"id": note_id}


@contextlib.asynccontextmanager
async def running_toy(database_url, nats_url: str, consumers: Consumers = toy_consumers, **settings):
    kit = make_kit(await database_url("toy"), nats_url, consumers, **settings)
    await create_tables(kit.db)
    app = kit.create_app([notes_api])
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://toy") as public,
    ):
        service = RunningService(app, public)
        try:
            yield kit, service
        finally:
            await service.aclose()


@contextlib.asynccontextmanager
async def feedback_owner(nats_url: str):
    """The feedback owner's stream, and a way to publish into it as its outbox relay would."""
    nc = await nats.connect(nats_url)
    js = nc.jetstream()
    await js.add_stream(name="FEEDBACK", subjects=["forum.feedback.>"])

    async def send(area: str) -> Envelope:
        event = FeedbackReceived(feedback_id=area, received_at=datetime.now(UTC), channel="online", area=area)
        envelope = Envelope.wrap(event, source=source_of("feedback"))
        await js.publish(envelope.subject, envelope.body(), headers={**envelope.headers(), "Nats-Msg-Id": envelope.id})
        return envelope

    try:
        yield send
    finally:
        await nc.close()


async def test_published_events_are_counted_and_the_backlog_is_read_from_the_outbox(own_nats_server, database_url):
    async with running_toy(database_url, own_nats_server.url) as (kit, service):
        await wait_for(lambda: kit.messaging.ready, what="connected")
        before = await scrape(service.client)
        assert before.value("forum_events_published_total") == 0
        assert before.value("forum_outbox_backlog") == 0
        assert before.value("forum_outbox_oldest_age_seconds") == 0

        own_nats_server.stop()
        await wait_for(lambda: not kit.messaging.ready, what="disconnect noticed")
        for note_id in ("first", "second"):
            async with kit.db.transaction() as session:
                await add_note(session, note_id)
        waiting = await scrape(service.client)  # NATS is down: the scrape still answers
        assert waiting.value("forum_outbox_backlog") == 2
        assert 0 < waiting.value("forum_outbox_oldest_age_seconds") < 60
        assert waiting.value("forum_events_published_total") == 0

        own_nats_server.start()

        async def published() -> Scrape | None:  # counted when NATS acknowledges, then marked sent
            found = await scrape(service.client)
            return found if found.value("forum_events_published_total") == 2 and not found.value(
                "forum_outbox_backlog") else None

        after = await wait_for(published, timeout=30, what="both events counted as published and none waiting")
        assert after.value("forum_events_published_total") == 2
        assert after.value("forum_outbox_oldest_age_seconds") == 0


async def test_requests_are_timed_by_route_template_and_status_class_never_by_raw_path(own_nats_server, database_url):
    async with running_toy(database_url, own_nats_server.url) as (_kit, service):
        client = service.client
        assert (await client.get("/notes/n-8f3a91")).status_code == 200
        assert (await client.get("/notes/n-77c2e0")).status_code == 200
        assert (await client.get("/notes/missing")).status_code == 404
        assert (await client.get("/no/such/page/n-5d1b44")).status_code == 404
        found = await scrape(client)

    count = "forum_http_request_duration_seconds_count"
    assert found.value(count, method="GET", route="/notes/{note_id}", status="2xx") == 2
    assert found.value(count, method="GET", route="/notes/{note_id}", status="4xx") == 1
    assert found.value(count, method="GET", route="unmatched", status="4xx") == 1
    total = found.value("forum_http_request_duration_seconds_sum", method="GET", route="/notes/{note_id}", status="2xx")
    assert total > 0
    assert "n-8f3a91" not in found.text and "n-5d1b44" not in found.text
    assert not any(value.startswith("/notes/n-") for value in found.label_values())


async def test_a_consumed_event_counts_under_its_consumer_and_the_lag_is_read_from_jetstream(
    own_nats_server, database_url
):
    async with feedback_owner(own_nats_server.url) as send, running_toy(database_url, own_nats_server.url) as (
        kit,
        service,
    ):
        await wait_for(lambda: kit.messaging.subscribed == {CONSUMER}, what="toy subscribed")
        at_start = await scrape(service.client)
        assert at_start.value("forum_events_consumed_total", consumer=CONSUMER, outcome="processed") == 0
        await send("Cambridge")

        async def processed() -> Scrape | None:
            found = await scrape(service.client)
            return found if found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="processed") else None

        found = await wait_for(processed, what="the event counted as processed")
        assert found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="processed") == 1
        assert found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="retried") == 0

        async def no_lag() -> bool:  # as soon as NATS has the acknowledgement, sent just after
            return (await scrape(service.client)).value("forum_consumer_lag", consumer=CONSUMER) == 0

        await wait_for(no_lag, what="the lag read from JetStream back to 0")


class Gate:
    """Holds the gated consumer's first event until the test opens it."""

    opened: asyncio.Event


gated_consumers = Consumers("toy")


@gated_consumers.on(FeedbackReceived)
async def wait_at_gate(session, event: FeedbackReceived, envelope) -> None:
    await Gate.opened.wait()


async def test_consumer_lag_counts_the_events_not_yet_delivered(own_nats_server, database_url):
    Gate.opened = asyncio.Event()
    consumer = "toy-wait_at_gate"
    async with feedback_owner(own_nats_server.url) as send, running_toy(
        database_url, own_nats_server.url, gated_consumers, consumer_batch_size=1
    ) as (kit, service):
        await wait_for(lambda: kit.messaging.subscribed == {consumer}, what="gated consumer subscribed")
        for area in ("Ely", "March", "Wisbech"):
            await send(area)

        def lag_is(pending: int):
            async def check() -> Scrape | None:
                found = await scrape(service.client)
                return found if found.value("forum_consumer_lag", consumer=consumer) == pending else None

            return check

        # One event is being handled (held at the gate), one fetched ahead, one waits in the
        # stream: none of the three is processed yet.
        held = await wait_for(lag_is(3), what="three events not yet processed")
        assert held.value("forum_events_consumed_total", consumer=consumer, outcome="processed") == 0
        Gate.opened.set()
        await wait_for(lag_is(0), what="the lag drained")
        await wait_for(lambda: _processed(service.client, consumer, 3), what="all three counted as processed")


async def _processed(client: httpx.AsyncClient, consumer: str, count: int) -> bool:
    found = await scrape(client)
    return found.value("forum_events_consumed_total", consumer=consumer, outcome="processed") == count


async def test_a_dead_letter_shows_until_it_is_replayed(own_nats_server, database_url):
    Toy.broken_for = "Wisbech"
    async with feedback_owner(own_nats_server.url) as send, running_toy(database_url, own_nats_server.url) as (
        kit,
        service,
    ):
        staff = await service.as_role("staff")
        await wait_for(lambda: kit.messaging.subscribed == {CONSUMER}, what="toy subscribed")
        assert (await scrape(service.client)).value("forum_dead_letters") == 0
        await send("Wisbech")

        async def dead() -> Scrape | None:
            found = await scrape(service.client)
            return found if found.value("forum_dead_letters") == 1 else None

        found = await wait_for(dead, what="the dead letter counted")
        retries = kit.settings.max_deliver - 1
        assert found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="retried") == retries
        assert found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="dead_lettered") == 1
        assert found.value("forum_events_consumed_total", consumer=CONSUMER, outcome="processed") == 0

        Toy.broken_for = None
        [letter] = (await staff.get("/dead-letters")).json()
        assert (await staff.post(f"/dead-letters/{letter['id']}/replay")).status_code == 200
        assert (await scrape(service.client)).value("forum_dead_letters") == 0


async def test_each_service_has_its_own_registry_and_metrics_are_not_in_the_api_schema(own_nats_server, database_url):
    kits = [make_kit(await database_url(name), own_nats_server.url) for name in ("one", "two")]
    apps = [kit.create_app([notes_api]) for kit in kits]
    for kit in kits:
        await create_tables(kit.db)
    try:
        clients = [httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://toy") for app in apps]
        async with clients[0], clients[1]:
            assert (await clients[0].get("/notes/n-1")).status_code == 200
            one, two = await scrape(clients[0]), await scrape(clients[1])
            assert "/metrics" not in (await clients[0].get("/openapi.json")).json()["paths"]
    finally:
        for kit in kits:
            await kit.db.dispose()
    count = "forum_http_request_duration_seconds_count"
    assert one.value(count, method="GET", route="/notes/{note_id}", status="2xx") == 1
    assert two.value(count, method="GET", route="/notes/{note_id}", status="2xx") is None
    expected = {
        "forum_events_published",
        "forum_events_consumed",
        "forum_outbox_backlog",
        "forum_outbox_oldest_age_seconds",
        "forum_dead_letters",
        "forum_consumer_lag",
        "forum_http_request_duration_seconds",
    }
    assert expected <= set(one.families)
    assert one.families["forum_events_published"].type == "counter"
    assert one.families["forum_outbox_backlog"].type == "gauge"
    assert one.families["forum_http_request_duration_seconds"].type == "histogram"


@pytest.fixture
def clean_environment(monkeypatch):
    for name in ("ENVIRONMENT", "LOG_FORMAT"):
        monkeypatch.delenv(name, raising=False)
    return monkeypatch


def test_logs_are_json_in_production_and_for_people_in_development(clean_environment):
    assert ServiceSettings(environment="production").log_format == "json"
    assert ServiceSettings(environment="development").log_format == "console"
    assert ServiceSettings().log_format == "console"


def test_an_explicit_log_format_wins_over_the_environment(clean_environment):
    assert ServiceSettings(environment="production", log_format="console").log_format == "console"
    assert ServiceSettings(environment="development", log_format="json").log_format == "json"
    clean_environment.setenv("ENVIRONMENT", "production")
    assert ServiceSettings().log_format == "json"
    clean_environment.setenv("LOG_FORMAT", "console")
    assert ServiceSettings().log_format == "console"


def test_a_production_service_writes_each_log_line_as_one_json_object(clean_environment, capsys):
    settings = ServiceSettings(environment="production")
    saved = structlog.get_config()
    try:
        logs.configure(settings.log_level, settings.log_format)
        logs.get_logger("forum.test").info("event published", event_id="e-1")
        logging.getLogger("nats.aio.client").warning("a library's own warning")
    finally:
        structlog.configure(**saved)
        logging.getLogger().handlers = [h for h in logging.getLogger().handlers if type(h).__name__ != "_LibraryLogs"]
    ours, library = (json.loads(line) for line in capsys.readouterr().err.strip().splitlines())
    assert ours["event"] == "event published" and ours["event_id"] == "e-1" and ours["level"] == "info"
    assert library["event"] == "a library's own warning" and library["level"] == "warning"
    assert library["logger"] == "nats.aio.client" and "timestamp" in library
