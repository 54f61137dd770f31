"""Prometheus metrics of one service, served at `GET /metrics`.

Each `ServiceKit` has its own registry (several services can share a process, as in tests), so
nothing here touches prometheus-client's global registry.

What is measured:

- `forum_events_published_total`: outbox rows published, counted once JetStream acknowledged
  them and the relay marked them;
- `forum_events_consumed_total{consumer, outcome}`: events each consumer handled, by outcome
  (`processed`, `retried`, `dead_lettered`);
- `forum_outbox_backlog` and `forum_outbox_oldest_age_seconds`: outbox rows not yet published
  and the age of the oldest, read from the database at scrape time;
- `forum_dead_letters`: dead letters waiting for a replay, read at scrape time;
- `forum_emails_sent_total`, and `forum_emails_waiting` / `forum_emails_failed` (read at scrape
  time): email the service sent, still has to send (the mail server may be down), or gave up on;
- `forum_consumer_lag{consumer}`: events in the inbound stream each consumer has not yet
  processed: those not yet given to it and those given and not yet acknowledged (JetStream's
  `num_pending` + `num_ack_pending`: a consumer fetches its next batch while it handles one),
  asked of NATS at scrape time;
- `forum_http_request_duration_seconds{method, route, status}`: request durations by route
  template (`/feedback/{feedback_id}`, never the path itself) and status class (`2xx`, `4xx` …).

Requests cost a timer and one histogram observation, nothing more: the database and NATS are
asked only when Prometheus scrapes. A scrape never fails because the database or NATS does: the
values it could not read are left out of that scrape, rather than repeated stale.

Only counts, durations and route templates are exposed, never ids or personal data.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from fastapi import APIRouter, Request, Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector
from sqlalchemy import func, select
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_shared.logs import get_logger
from forum_shared.mail.sender import counts as mail_counts
from forum_shared.tables import dead_letters, outbox

if TYPE_CHECKING:
    from forum_shared.consumers import Consumer
    from forum_shared.web import ServiceKit

log = get_logger("forum.metrics")

OUTCOMES = ("processed", "retried", "dead_lettered")
# Any other method is counted as "other": a client must not be able to make new series at will.
METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "unmatched"
# A scrape waits at most this long for NATS, so Prometheus's own timeout (10 s by default) is never reached.
NATS_TIMEOUT_SECONDS = 1.0


@dataclass
class _Readings:
    """What the last scrape read from the database and NATS; None (or absent) when it could not."""

    backlog: int | None = None
    oldest_age_seconds: float | None = None
    dead_letters: int | None = None
    emails: dict[str, int] = field(default_factory=dict)
    consumer_lag: dict[str, int] = field(default_factory=dict)


class _ReadAtScrape(Collector):
    """Gauges from the readings the /metrics handler takes just before rendering: `collect` is
    synchronous while the database and NATS are asynchronous, so it only reports them."""

    def __init__(self) -> None:
        self.readings = _Readings()

    def describe(self) -> Iterable[GaugeMetricFamily]:
        return list(self._families(_Readings(0, 0.0, 0)))

    def collect(self) -> Iterable[GaugeMetricFamily]:
        return list(self._families(self.readings))

    @staticmethod
    def _families(readings: _Readings) -> Iterator[GaugeMetricFamily]:
        if readings.backlog is not None:
            yield GaugeMetricFamily("forum_outbox_backlog", "Outbox rows not yet published.", value=readings.backlog)
        if readings.oldest_age_seconds is not None:
            yield GaugeMetricFamily(
                "forum_outbox_oldest_age_seconds",
                "Age of the oldest outbox row not yet published (0 when none waits).",
                value=readings.oldest_age_seconds,
            )
        if readings.dead_letters is not None:
            yield GaugeMetricFamily(
                "forum_dead_letters", "Events dead-lettered and not yet replayed.", value=readings.dead_letters
            )
        for state, text in (("waiting", "Emails not yet sent."), ("failed", "Emails given up after every retry.")):
            if state in readings.emails:
                yield GaugeMetricFamily(f"forum_emails_{state}", text, value=readings.emails[state])
        lag = GaugeMetricFamily(
            "forum_consumer_lag", "Events in the inbound stream the consumer has not processed yet.",
            labels=["consumer"],
        )
        for consumer, pending in sorted(readings.consumer_lag.items()):
            lag.add_metric([consumer], pending)
        yield lag


class ServiceMetrics:
    """One service's metrics in a registry of its own, fed by its outbox relay, its consumers and
    its requests; `refresh` then `render` answer a scrape."""

    def __init__(self, kit: ServiceKit) -> None:
        self.kit = kit
        self.registry = CollectorRegistry()
        self.events_published = Counter(
            "forum_events_published",
            "Events published to JetStream from the outbox (acknowledged and marked).",
            registry=self.registry,
        )
        self.events_consumed = Counter(
            "forum_events_consumed",
            "Events handled by each consumer, by outcome: processed, retried or dead_lettered.",
            ["consumer", "outcome"],
            registry=self.registry,
        )
        self.emails_sent = Counter("forum_emails_sent", "Emails the mail server accepted.", registry=self.registry)
        self.request_duration = Histogram(
            "forum_http_request_duration_seconds",
            "Time to answer an HTTP request, by method, route template and status class.",
            ["method", "route", "status"],
            registry=self.registry,
        )
        self._read_at_scrape = _ReadAtScrape()
        self.registry.register(self._read_at_scrape)
        # Every consumer's series exist from the start, so a rate over them is never missing.
        for consumer in kit.consumers:
            for outcome in OUTCOMES:
                self.events_consumed.labels(consumer.name, outcome)
        kit.relay.on_published.append(self.events_published.inc)
        kit.mail.on_sent.append(self.emails_sent.inc)
        kit.messaging.on_processed.append(self._consumed)

    def _consumed(self, consumer: Consumer, outcome: str) -> None:
        self.events_consumed.labels(consumer.name, outcome).inc()

    async def refresh(self) -> None:
        """Read the database and NATS values for the next `render`; never raises."""
        readings = _Readings()
        await asyncio.gather(self._read_database(readings), self._read_lag(readings))
        self._read_at_scrape.readings = readings

    async def _read_database(self, readings: _Readings) -> None:
        try:
            async with self.kit.db.read() as session:
                backlog, oldest = (
                    await session.execute(
                        select(func.count(), func.min(outbox.c.created_at)).where(outbox.c.published_at.is_(None))
                    )
                ).one()
                dead = await session.scalar(
                    select(func.count()).select_from(dead_letters).where(dead_letters.c.status == "dead")
                )
            readings.emails = await mail_counts(self.kit.db)
        except Exception as exc:  # noqa: BLE001 - a scrape reports what it can
            log.warning("metrics could not read the database", error=type(exc).__name__)
            return
        readings.backlog = backlog
        readings.oldest_age_seconds = _age_seconds(oldest)
        readings.dead_letters = dead

    async def _read_lag(self, readings: _Readings) -> None:
        messaging = self.kit.messaging
        consumers = list(self.kit.consumers)
        if not consumers or not messaging.ready:
            return

        async def pending(consumer: Consumer) -> None:
            try:
                async with asyncio.timeout(NATS_TIMEOUT_SECONDS):
                    info = await messaging.js.consumer_info(messaging.inbound, consumer.name)
            except Exception:  # noqa: BLE001 - not made yet, or NATS slow or gone: left out
                return
            if info.num_pending is not None:
                readings.consumer_lag[consumer.name] = info.num_pending + (info.num_ack_pending or 0)

        await asyncio.gather(*(pending(c) for c in consumers))

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _age_seconds(oldest: datetime | None) -> float:
    if oldest is None:
        return 0.0
    # Clocks of replicas and the database may differ a little: an age is never negative.
    return max(0.0, (datetime.now(UTC) - oldest).total_seconds())


class RequestDurations:
    """Pure ASGI middleware timing every HTTP request into `forum_http_request_duration_seconds`.

    The route label is the matched route's template, read after routing from `scope["route"]`
    ("unmatched" when no route matched), so ids in paths never become labels."""

    def __init__(self, app: ASGIApp, *, metrics: ServiceMetrics) -> None:
        self.app = app
        self.histogram = metrics.request_duration

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = time.perf_counter()
        status = 500  # what the client gets if the app raises before answering

        async def noting_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        finally:
            route = getattr(scope.get("route"), "path", None) or UNMATCHED
            method = scope["method"] if scope["method"] in METHODS else "other"
            self.histogram.labels(method, route, f"{status // 100}xx").observe(time.perf_counter() - started)


def router() -> APIRouter:
    api = APIRouter(tags=["operations"])

    @api.get("/metrics", include_in_schema=False)
    async def metrics(request: Request) -> Response:
        """Prometheus metrics of this service, in the text format.

        Open to anyone who can reach it, like /health: it shows counts and durations only, never
        ids or personal data, and operators keep it on their internal network (do not route it
        from the public internet)."""
        service_metrics: ServiceMetrics = request.app.state.kit.metrics
        await service_metrics.refresh()
        return Response(service_metrics.render(), media_type=CONTENT_TYPE_LATEST)

    return api
