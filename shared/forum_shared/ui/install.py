"""Wires the pages kit into a service's FastAPI app (called by `ServiceKit.create_app`)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from fastapi import FastAPI, Request
from fastapi.staticfiles import StaticFiles
from starlette.responses import Response

from forum_shared.ui import routes_accounts, routes_dead_letters, routes_mail, routes_sign_in, routes_tokens
from forum_shared.ui.middleware import (
    BodyLimit,
    CsrfCheck,
    SecurityHeaders,
    UnexpectedErrors,
)
from forum_shared.ui.negotiation import install_error_handlers
from forum_shared.ui.problems import every_route
from forum_shared.ui.templating import KIT_STATIC, render

if TYPE_CHECKING:
    from forum_shared.web import ServiceKit


def install(app: FastAPI, kit: ServiceKit) -> None:
    """Static files, error pages and security middleware (`include_routes` adds the kit's routes)."""
    app.mount("/static/kit", StaticFiles(directory=KIT_STATIC), name="kit_static")
    if kit.ui.static is not None:
        app.mount("/static/service", StaticFiles(directory=kit.ui.static), name="service_static")
    install_error_handlers(app)
    # Added innermost first: headers go on every response, including a 413, a CSRF refusal or
    # the 500 page for a bug.
    app.add_middleware(CsrfCheck, kit=kit)
    app.add_middleware(BodyLimit, kit=kit)
    app.add_middleware(UnexpectedErrors, kit=kit)
    app.add_middleware(SecurityHeaders, kit=kit)


def include_routes(app: FastAPI) -> None:
    """Sign-in, email, accounts, tokens and dead letters: pages and API."""
    app.include_router(routes_sign_in.router)
    app.include_router(routes_mail.pages)
    for module in (routes_accounts, routes_tokens, routes_dead_letters):
        app.include_router(module.pages)
        app.include_router(module.api)


def add_home_page_if_missing(app: FastAPI) -> None:
    """A plain start page at "/", unless the service has its own."""
    if any(route.path_format == "/" for route in every_route(app)):
        return

    @app.get("/", include_in_schema=False)
    async def home(request: Request) -> Response:
        return render(request, "kit/home.html")
