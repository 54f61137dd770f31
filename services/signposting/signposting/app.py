"""Composition root of the signposting service."""

from pathlib import Path

from fastapi import FastAPI

from signposting import api
from signposting.config import Settings
from signposting.consumers import consumers
from forum_shared.web import ServiceKit

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="signposting",
        title="Partnership Forum — signposting",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    return kit.create_app(
        [api.router],
        description="A directory of local community groups and services, and the need it reveals.",
    )
