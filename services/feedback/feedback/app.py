"""Composition root of the feedback service."""

from pathlib import Path

from fastapi import FastAPI

from feedback import api, api_escalations, api_public, background
from feedback.config import Settings
from feedback.consumers import consumers
from forum_shared.tasks import Periodic
from forum_shared.web import ServiceKit

MIGRATIONS = Path(__file__).parent / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    kit = ServiceKit(
        name="feedback",
        title="Partnership Forum — feedback",
        settings=settings,
        migrations=MIGRATIONS,
        consumers=consumers,
    )
    kit.on_start.append(lambda: background.seed_themes(kit.db, settings))
    kit.periodic.append(
        Periodic("overdue-check", settings.overdue_check_seconds, lambda: background.check_overdue_once(kit.db, settings))
    )
    app = kit.create_app(
        [api.router, api_escalations.router, api_public.public, api_public.staff_reports],
        description="Views from across the county, escalations to governors, and “you said, we did”.",
    )
    return app
