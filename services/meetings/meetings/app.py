"""Composition root of the meetings service."""

from pathlib import Path

from fastapi import FastAPI

from forum_shared.tasks import Periodic
from forum_shared.ui import NavItem
from forum_shared.web import ServiceKit
from meetings import api, pages
from meetings.config import Settings
from meetings.consumers import consumers
from meetings.domain import access_label, when
from meetings.pages.common import day, sentence
from meetings.service.emails import TOPICS
from meetings.service.reminders import check_reminders
from meetings.service.retention import clear_old_registration_details

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"
STAFF = ("staff", "admin")
NAV = [
    NavItem("Upcoming meetings", "/upcoming-meetings"),
    NavItem("Meetings", "/staff/meetings", STAFF),
    NavItem("Pop-up forums", "/staff/pop-up-forums", STAFF),
    NavItem("Actions", "/staff/actions", STAFF),
    NavItem("Areas", "/staff/areas", STAFF),
]


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings()
    kit = ServiceKit(
        name="meetings",
        title="Meetings and pop-up forums",
        settings=settings,
        migrations=MIGRATIONS,
        consumers=consumers,
        templates=HERE / "templates",
        static=HERE / "static",
        nav=NAV,
        mail_topics=TOPICS,
    )
    kit.ui.env.filters.update(
        when=when,
        day=day,
        access_label=access_label,
        sentence=sentence,
        pairs=lambda values: [(v, v) for v in values],  # options for the select macro
    )
    kit.ui.env.globals["registration_details_kept_days"] = settings.registration_details_kept_days
    kit.periodic += [
        Periodic("meeting-reminders", settings.reminder_check_seconds, lambda: check_reminders(kit.db)),
        Periodic(
            "registration-details-retention",
            settings.retention_check_seconds,
            lambda: clear_old_registration_details(kit.db, settings.registration_details_kept_days),
        ),
    ]
    return kit.create_app(
        [*api.routers, *pages.routers],
        description="The monthly open forum that moves around the county, and pop-up forums.",
    )
