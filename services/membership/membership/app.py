"""Composition root of the membership service."""

from pathlib import Path

from fastapi import FastAPI

from forum_shared.web import ServiceKit
from membership import api, api_roles
from membership.config import Settings
from membership.consumers import consumers

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="membership",
        title="Partnership Forum — membership",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    return kit.create_app(
        [api.router, api_roles.router],
        description=(
            "Join without barriers, partner organisations, involvement roles, and a record of the "
            "time members give, for recognition and payment."
        ),
    )
