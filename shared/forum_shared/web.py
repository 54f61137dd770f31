"""One service's composition: database, messaging, outbox relay and the FastAPI app around them.

Every service builds a `ServiceKit` in its `app.py` and gets the same health and readiness checks,
AsyncAPI document, Prometheus metrics (`forum_shared.metrics`), dead-letter endpoints, readable
validation errors and request ids, and the pages kit (`forum_shared.ui`): templates, sign-in,
roles, audit log, error pages and security.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Iterable, Mapping, Sequence
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.responses import JSONResponse
from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_shared import logs, metrics
from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumers, prune_inbox
from forum_shared.db import Database
from forum_shared.deps import DbDep as DbDep  # the services import it from here
from forum_shared.deps import get_db as get_db
from forum_shared.events.event import source_of
from forum_shared.idempotency import Idempotency, forget_old_keys
from forum_shared.mail.sender import MailSender
from forum_shared.messaging import Messaging
from forum_shared.migrations import upgrade
from forum_shared.outbox import OutboxRelay
from forum_shared.tasks import Periodic, cancel_all
from forum_shared.ui import install as ui_install
from forum_shared.ui.auth import remember_signed_in
from forum_shared.ui.negotiation import readable_errors  # noqa: F401 - importers still find it here
from forum_shared.ui.problems import document_problems
from forum_shared.ui.templating import NavItem, WebUi

log = logs.get_logger("forum.web")


class ServiceKit:
    def __init__(
        self,
        *,
        name: str,
        title: str,
        settings: ServiceSettings,
        migrations: Path,
        consumers: Consumers | None = None,
        version: str = "0.1.0",
        templates: Path | None = None,
        static: Path | None = None,
        nav: Sequence[NavItem] = (),
        mail_topics: Mapping[str, str] | None = None,
    ) -> None:
        """`templates` and `static` are the service's own folders for pages and emails (searched
        before the shared ones); `nav` the header links, each shown to the roles it names;
        `mail_topics` the kinds of email a person may unsubscribe from, as the unsubscribe page
        names them (e.g. {"meetings.reminders": "reminders the day before a meeting"})."""
        self.name = name
        self.title = title
        self.version = version
        self.settings = settings
        self.migrations = migrations
        self.consumers = consumers or Consumers(name)
        self.db = Database(settings.database_url, source=source_of(name), pool_size=settings.database_pool_size)
        self.messaging = Messaging(name, settings, self.db, self.consumers)
        self.relay = OutboxRelay(
            self.db,
            self.messaging.send,
            ready=lambda: self.messaging.ready,
            poll_seconds=settings.outbox_poll_seconds,
        )
        self.messaging.on_connected.append(self.relay.wake)
        self.mail_topics = dict(mail_topics or {})
        self.mail = MailSender(self.db, settings, service_title=title, templates=templates)
        self._tasks: list[asyncio.Task[None]] = []
        # Service work beside requests and events: run once at start (after migrations), or
        # every so often while running (e.g. looking for overdue escalations).
        self.on_start: list[Callable[[], Awaitable[object]]] = []
        # The inbox is kept as long as the streams keep events (a day more, to be safe).
        keep = timedelta(days=settings.stream_max_age_days + 1)
        self.periodic: list[Periodic] = [
            Periodic("inbox-pruning", 6 * 60 * 60, lambda: prune_inbox(self.db, keep)),
            Periodic("idempotency-keys", 60 * 60, lambda: forget_old_keys(self.db)),
        ]
        self.ui = WebUi(self, templates=templates, static=static, nav=nav)
        self.metrics = metrics.ServiceMetrics(self)

    @contextlib.asynccontextmanager
    async def running(self) -> AsyncIterator[ServiceKit]:
        """Migrate, then run messaging and the outbox relay in the background until closed."""
        self.settings.check_secrets()
        if self.settings.migrate_on_start:
            await upgrade(self.db.engine, self.migrations)
        for hook in self.on_start:
            await hook()
        if self.mail.transport is None:
            log.warning(f"{self.settings.env_prefix}MAIL_URL is not set: email waits in the outbox until it is",
                        service=self.name)
        await self.messaging.first_connect()
        self._tasks = [
            asyncio.create_task(self.messaging.run(), name=f"{self.name}-messaging"),
            asyncio.create_task(self.relay.run(), name=f"{self.name}-outbox-relay"),
            asyncio.create_task(self.mail.run(), name=f"{self.name}-mail-sender"),
            *(asyncio.create_task(p.run(), name=f"{self.name}-{p.name}") for p in self.periodic),
        ]
        try:
            yield self
        finally:
            await cancel_all(self._tasks)
            await self.messaging.stop()
            await self.db.dispose()

    def create_app(self, routers: Iterable[APIRouter] = (), description: str = "") -> FastAPI:
        kit = self

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI) -> AsyncIterator[None]:
            logs.configure(kit.settings.log_level, kit.settings.log_format)
            async with kit.running():
                log.info("service started", service=kit.name, port=kit.settings.port)
                yield

        # Every route first notes who is signed in (by cookie), so any page can show it.
        app = FastAPI(
            title=self.title, version=self.version, description=description, lifespan=lifespan,
            dependencies=[Depends(remember_signed_in)],
        )
        app.state.kit = self
        # Innermost of the kit's middleware: sizes, CSRF and sign-in are checked before a key is used.
        app.add_middleware(Idempotency, db=self.db)
        ui_install.install(app, self)
        install_request_ids(app)
        # Outermost, so the time and status include every other middleware's work and refusals.
        app.add_middleware(metrics.RequestDurations, metrics=self.metrics)
        # The service's own routes first: FastAPI tries routes in turn, and most requests are for
        # them. No kit route answers a request a service route answers (tests/test_one_shape.py),
        # so the order changes nothing else.
        for router in routers:
            app.include_router(router)
        ui_install.include_routes(app)
        app.include_router(operations_router())
        app.include_router(metrics.router())
        ui_install.add_home_page_if_missing(app)
        document_problems(app)
        return app


async def get_kit(request: Request) -> ServiceKit:
    kit: ServiceKit = request.app.state.kit
    return kit


KitDep = Annotated[ServiceKit, Depends(get_kit)]


def operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    async def health() -> dict[str, Any]:
        """Alive: the process answers."""
        return {"status": "ok"}

    @router.get("/ready")
    async def ready(kit: KitDep, db: DbDep) -> JSONResponse:
        """Ready: the database answers and NATS is connected."""
        checks: dict[str, str] = {}
        try:
            await db.ping()
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            checks["database"] = f"unreachable: {type(exc).__name__}"
        checks["nats"] = "ok" if kit.messaging.ready else "not connected"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks}, 200 if ok else 503)

    @router.get("/asyncapi")
    async def asyncapi(kit: KitDep) -> dict[str, Any]:
        """The AsyncAPI document: every event this service publishes and consumes."""
        return kit.messaging.asyncapi(kit.title, kit.version)

    return router


def install_request_ids(app: FastAPI) -> None:
    app.add_middleware(RequestIds)


class RequestIds:
    """Each request's id (the client's `X-Request-ID`, or a new one): in its logs, as the cause of
    the events it records, and in the response's `X-Request-ID`. Plain ASGI: no task or body
    buffering per request, as `BaseHTTPMiddleware` would add."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        rid = Headers(scope=scope).get("x-request-id") or str(uuid.uuid4())

        async def send_with_id(message: Message) -> None:
            if message["type"] == "http.response.start":
                MutableHeaders(scope=message)["X-Request-ID"] = rid
            await send(message)

        with logs.caused_by(rid, rid, request_id=rid):
            await self.app(scope, receive, send_with_id)
