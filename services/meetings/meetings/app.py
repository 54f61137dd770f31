"""Composition root of the meetings service."""

import asyncio
import contextlib
from pathlib import Path

from fastapi import FastAPI

from forum_shared.tasks import Periodic, cancel_all
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
    app = kit.create_app(
        api.routers,
        description="The monthly open forum that moves around the county, and pop-up forums.",
    )
    kit_lifespan = app.router.lifespan_context
    reminders = Periodic("meeting-reminders", settings.reminder_check_seconds, lambda: check_reminders(kit.db))

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI):
        # The kit migrates and starts messaging first; the reminder check runs beside them and
        # stops before the kit closes the database.
        async with kit_lifespan(app) as state:
            task = asyncio.create_task(reminders.run(), name="meetings-reminders")
            try:
                yield state
            finally:
                await cancel_all([task])

    app.router.lifespan_context = lifespan
    return app
