"""Composition root of the meetings service."""

from pathlib import Path

from fastapi import FastAPI

from forum_shared.tasks import Periodic
from forum_shared.web import ServiceKit
from meetings import api
from meetings.config import Settings
from meetings.consumers import consumers
from meetings.service.reminders import check_reminders

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    kit = ServiceKit(
        name="meetings",
        title="Partnership Forum — meetings",
        settings=settings,
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    kit.periodic.append(
        Periodic("meeting-reminders", settings.reminder_check_seconds, lambda: check_reminders(kit.db))
    )
    return kit.create_app(
        api.routers,
        description="The monthly open forum that moves around the county, and pop-up forums.",
    )
