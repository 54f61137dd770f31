"""Composition root of the signposting service."""

import re
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.routing import APIRoute
from sqlalchemy.exc import IntegrityError

from forum_shared.ui import NavItem, error_response
from forum_shared.web import ServiceKit
from signposting import pages
from signposting.api import oruk, routers
from signposting.config import Settings
from signposting.consumers import consumers
from signposting.cross_origin import OpenReadsAcrossOrigins
from signposting.hsds_files import ImportRejected

MIGRATIONS = Path(__file__).parent / "migrations"
HERE = Path(__file__).parent
STAFF = ("staff", "admin")
NAV = [
    NavItem("Find a local group", "/find-a-group"),
    NavItem("Directory", "/staff/directory", STAFF),
    NavItem("Needs", "/staff/needs", STAFF),
    NavItem("Check listings", "/staff/listings", STAFF),
    NavItem("Signposting", "/staff/signposting", STAFF),
    NavItem("Unmet need", "/staff/unmet-need", STAFF),
    NavItem("Import and export", "/staff/transfer", STAFF),
]


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="signposting",
        title="Local groups and services",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
        templates=HERE / "templates",
        nav=NAV,
    )
    app = kit.create_app(
        [*routers, *pages.routers],
        description="An Open Referral UK (HSDS 3.0) directory of local community groups and services, "
        "and the need it reveals.",
    )
    # Any site may read the Open Referral UK API (and the OpenAPI document `/` points programs
    # to) from a browser; nothing else of the service answers another site.
    open_paths = [route.path_regex for route in oruk.router.routes if isinstance(route, APIRoute)]
    if app.openapi_url:
        open_paths.append(re.compile(f"^{re.escape(app.openapi_url)}$"))
    app.add_middleware(OpenReadsAcrossOrigins, open_paths=open_paths)

    @app.exception_handler(ImportRejected)
    async def import_rejected(request: Request, exc: ImportRejected) -> Response:
        return error_response(request, exc.status_code, exc.message, body={"errors": exc.errors()})

    @app.exception_handler(IntegrityError)
    async def conflict(request: Request, _exc: IntegrityError) -> Response:
        # Most often an id given twice (say, one schedule id under two services). A page for a
        # browser, JSON for a program.
        return error_response(
            request,
            409,
            "That conflicts with a record already in the directory: an id is used twice. "
            "Give new ids or leave them out.",
        )

    return app
