"""Composition root of the feedback service."""

from pathlib import Path

from fastapi import FastAPI

from feedback import api
from feedback.config import Settings
from feedback.consumers import consumers
from forum_shared.web import ServiceKit

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="feedback",
        title="Partnership Forum — feedback",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    return kit.create_app(
        [api.router],
        description="Views from across the county, escalations to governors, and “you said, we did”.",
    )
