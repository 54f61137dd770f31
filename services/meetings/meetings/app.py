"""Composition root of the meetings service."""

from pathlib import Path

from fastapi import FastAPI

from meetings import api
from meetings.config import Settings
from meetings.consumers import consumers
from forum_shared.web import ServiceKit

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="meetings",
        title="Partnership Forum — meetings",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    return kit.create_app(
        [api.router],
        description="The monthly open forum that moves around the county, and pop-up forums.",
    )
