"""Composition root of the feedback service."""

import contextlib
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from fastapi import FastAPI

from feedback import api, pages
from feedback.config import Settings
from feedback.consumers import consumers
from feedback.live import EscalationFeed
from feedback.service import emails, governance, themes
from forum_shared.tasks import Periodic
from forum_shared.ui import NavItem
from forum_shared.web import ServiceKit

MIGRATIONS = Path(__file__).parent / "migrations"
HERE = Path(__file__).parent
STAFF = ("staff", "admin")

NAV = [
    NavItem("Give feedback", "/give-feedback"),
    NavItem("You said, we did", "/you-said-we-did"),
    NavItem("Feedback", "/staff/feedback", STAFF),
    NavItem("Escalations", "/staff/escalations", STAFF),
    NavItem("Reports", "/staff/reports", STAFF),
    NavItem("Themes", "/staff/themes", STAFF),
    NavItem("Escalations", "/governors/escalations", ("governor",)),
    NavItem("Email alerts", emails.EMAIL_CHOICES_PAGE, ("governor",)),
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    kit = ServiceKit(
        name="feedback",
        title="Feedback and what we did about it",
        settings=settings,
        migrations=MIGRATIONS,
        consumers=consumers,
        templates=HERE / "templates",
        static=HERE / "static",
        nav=NAV,
        mail_topics=emails.MAIL_TOPICS,
    )
    rules = settings.rules()
    kit.on_start.append(lambda: themes.seed_default_themes(kit.db, settings.default_themes))
    kit.periodic.append(
        Periodic(
            "overdue-check",
            settings.overdue_check_seconds,
            lambda: governance.check_overdue(kit.db, rules.local_date(datetime.now(UTC))),
        )
    )
    feed = EscalationFeed(
        stream_seconds=settings.live_stream_seconds, heartbeat_seconds=settings.live_heartbeat_seconds
    )
    kit.messaging.on_connected.append(lambda: feed.connected(kit.messaging))
    app = kit.create_app(
        [*api.routers, *pages.routers],
        description="Views from across the county, escalations to governors, and “you said, we did”.",
    )
    app.state.escalation_feed = feed
    kit_lifespan = app.router.lifespan_context

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[Any]:
        async with kit_lifespan(app) as state:
            try:
                yield state
            finally:
                # Live streams end before messaging stops, so nothing waits on a closed connection.
                await feed.stop()

    app.router.lifespan_context = lifespan
    return app
