"""Composition root of the membership service."""

from pathlib import Path

from fastapi import FastAPI

from membership import api
from membership.config import Settings
from membership.consumers import consumers
from forum_shared.web import ServiceKit

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
        [api.router],
        description="Join without barriers, involvement roles and the time members give.",
    )
