"""One service's composition: database, messaging, outbox relay and the FastAPI app around them.

Every service builds a `ServiceKit` in its `app.py` and gets the same health and readiness checks,
AsyncAPI document, dead-letter endpoints, readable validation errors and request ids.
"""

from __future__ import annotations

import asyncio
import contextlib
import uuid
from collections.abc import Iterable
from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import MetaData

from forum_shared import logs
from forum_shared.config import ServiceSettings
from forum_shared.consumers import Consumers, ReplayFailed, list_dead_letters, replay
from forum_shared.db import Database
from forum_shared.errors import Conflict, ForumError, NotFound
from forum_shared.messaging import Messaging
from forum_shared.migrations import upgrade
from forum_shared.outbox import OutboxRelay

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
    ) -> None:
        self.name = name
        self.title = title
        self.version = version
        self.settings = settings
        self.migrations = migrations
        self.consumers = consumers or Consumers(name)
        self.db = Database(
            settings.database_url, source=f"/forum/{name}", pool_size=settings.database_pool_size
        )
        self.messaging = Messaging(name, settings, self.db, self.consumers)
        self.relay = OutboxRelay(
            self.db,
            self.messaging.publish,
            ready=lambda: self.messaging.ready,
            poll_seconds=settings.outbox_poll_seconds,
        )
        self.messaging.on_connected.append(self.relay.wake)
        self._tasks: list[asyncio.Task] = []

    @contextlib.asynccontextmanager
    async def running(self):
        """Migrate, then run messaging and the outbox relay in the background until closed."""
        if self.settings.migrate_on_start:
            await upgrade(self.db.engine, self.migrations)
        self._tasks = [
            asyncio.create_task(self.messaging.run(), name=f"{self.name}-messaging"),
            asyncio.create_task(self.relay.run(), name=f"{self.name}-outbox-relay"),
        ]
        try:
            yield self
        finally:
            for task in self._tasks:
                task.cancel()
            for task in self._tasks:
                with contextlib.suppress(asyncio.CancelledError, Exception):
                    await task
            await self.messaging.stop()
            await self.db.dispose()

    def create_app(self, routers: Iterable[APIRouter] = (), description: str = "") -> FastAPI:
        kit = self

        @contextlib.asynccontextmanager
        async def lifespan(app: FastAPI):
            logs.configure(kit.settings.log_level, kit.settings.log_format)
            async with kit.running():
                log.info("service started", service=kit.name, port=kit.settings.port)
                yield

        app = FastAPI(title=self.title, version=self.version, description=description, lifespan=lifespan)
        app.state.kit = self
        install_error_handlers(app)
        install_request_ids(app)
        app.include_router(operations_router())
        for router in routers:
            app.include_router(router)
        return app


def get_kit(request: Request) -> ServiceKit:
    return request.app.state.kit


def get_db(request: Request) -> Database:
    return request.app.state.kit.db


KitDep = Annotated[ServiceKit, Depends(get_kit)]
DbDep = Annotated[Database, Depends(get_db)]


class DeadLetterPublic(BaseModel):
    id: int
    consumer: str = Field(description="The consumer that could not process the event.")
    event_id: str | None
    subject: str
    error: str = Field(description="The last error, for whoever fixes it.")
    attempts: int
    status: str = Field(description="dead, or replayed once processed after a fix.")
    dead_at: datetime
    replayed_at: datetime | None
    headers: dict[str, Any]
    body: str


def operations_router() -> APIRouter:
    router = APIRouter(tags=["operations"])

    @router.get("/health")
    async def health() -> dict:
        """Alive: the process answers."""
        return {"status": "ok"}

    @router.get("/ready")
    async def ready(kit: KitDep) -> JSONResponse:
        """Ready: the database answers and NATS is connected."""
        checks: dict[str, str] = {}
        try:
            await kit.db.ping()
            checks["database"] = "ok"
        except Exception as exc:  # noqa: BLE001 - reported, not raised
            checks["database"] = f"unreachable: {type(exc).__name__}"
        checks["nats"] = "ok" if kit.messaging.ready else "not connected"
        ok = all(v == "ok" for v in checks.values())
        return JSONResponse({"status": "ready" if ok else "not ready", "checks": checks}, 200 if ok else 503)

    @router.get("/asyncapi")
    async def asyncapi(kit: KitDep) -> dict:
        """The AsyncAPI document: every event this service publishes and consumes."""
        return kit.messaging.asyncapi(kit.title, kit.version)

    @router.get("/dead-letters", response_model=list[DeadLetterPublic])
    async def dead_letters(kit: KitDep, status: str | None = "dead") -> list[dict]:
        """Events this service could not process, with their errors."""
        return await list_dead_letters(kit.db, status)

    @router.post("/dead-letters/{dead_letter_id}/replay", response_model=DeadLetterPublic)
    async def replay_dead_letter(dead_letter_id: int, kit: KitDep) -> dict:
        """Process a dead letter again, once the cause is fixed."""
        try:
            return await replay(kit.db, kit.consumers, dead_letter_id)
        except LookupError as exc:
            raise NotFound(str(exc)) from exc
        except ReplayFailed as exc:
            raise Conflict(f"Still failing: {exc}") from exc

    return router


def readable_errors(errors) -> list[dict]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or "request"
        message = err.get("msg", "is not valid")
        if err.get("type") == "json_invalid":
            field, message = "request", "The request body is not valid JSON."
        elif err.get("type") == "missing":
            message = "This field is required."
        out.append({"field": field, "message": message})
    return out


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(RequestValidationError)
    async def validation_error(_request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = readable_errors(exc.errors())
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        return JSONResponse(
            {"detail": f"Please check your request — {summary}", "errors": errors}, status_code=422
        )

    @app.exception_handler(ForumError)
    async def forum_error(_request: Request, exc: ForumError) -> JSONResponse:
        return JSONResponse({"detail": exc.message}, status_code=exc.status_code)


def install_request_ids(app: FastAPI) -> None:
    @app.middleware("http")
    async def request_id(request: Request, call_next):
        rid = request.headers.get("x-request-id") or str(uuid.uuid4())
        with logs.caused_by(rid, rid, request_id=rid):
            response = await call_next(request)
        response.headers["X-Request-ID"] = rid
        return response
