"""Composition root of the membership service."""

from pathlib import Path

from fastapi import FastAPI

from forum_shared.web import ServiceKit
from membership import api, pages
from membership.config import Settings
from membership.consumers import consumers
from membership.pages import member_session
from membership.service import emails

HERE = Path(__file__).parent
MIGRATIONS = HERE / "migrations"


def create_app(settings: Settings | None = None) -> FastAPI:
    kit = ServiceKit(
        name="membership",
        title="Membership and involvement roles",
        settings=settings or Settings(),
        migrations=MIGRATIONS,
        consumers=consumers,
        templates=HERE / "templates",
        nav=pages.NAV,
        mail_topics=emails.MAIL_TOPICS,
    )
    app = kit.create_app(
        [pages.before_api, api.router, pages.router],
        description=(
            "Join without barriers, partner organisations, involvement roles, and a record of the "
            "time members give, for recognition and payment."
        ),
    )
    member_session.install(app)
    return app
