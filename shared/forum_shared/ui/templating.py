"""Server-rendered pages: the shared Jinja templates and stylesheet, under a service's own.

A service's templates folder comes first in the search path (Jinja's ChoiceLoader), so it can add
pages and override a shared template by giving its file the same name.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from fastapi import Request
from fastapi.templating import Jinja2Templates
from jinja2 import (
    ChoiceLoader,
    Environment,
    FileSystemLoader,
    pass_context,
    select_autoescape,
)
from jinja2.runtime import Context
from markupsafe import Markup
from starlette.responses import Response

from forum_shared.identity.principal import ROLE_NAMES, Principal
from forum_shared.ui import csrf

if TYPE_CHECKING:
    from forum_shared.web import ServiceKit

KIT_TEMPLATES = Path(__file__).parent / "templates"
KIT_STATIC = Path(__file__).parent / "static"
LONDON = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class NavItem:
    """A link in the header; `roles=None` shows it to everyone, otherwise only to those roles."""

    label: str
    href: str
    roles: tuple[str, ...] | None = None

    def visible_to(self, user: Principal | None) -> bool:
        return self.roles is None or (user is not None and user.role in self.roles)


# What each service offers the public, as the other services' footers link to it.
SITE_LABELS = {
    "membership": "Join the forum",
    "meetings": "Meetings and pop-up forums",
    "feedback": "Give feedback",
    "signposting": "Find a local group",
}

KIT_NAV = (
    NavItem("Audit log", "/audit", ("staff", "admin")),
    NavItem("Dead letters", "/staff/dead-letters", ("staff", "admin")),
    NavItem("Accounts", "/admin/accounts", ("admin",)),
    NavItem("API tokens", "/admin/tokens", ("admin",)),
)


def uk_time(value: datetime | None) -> str:
    """'3 March 2026 at 2:05pm', in UK time, as NHS.UK writes dates."""
    if value is None:
        return ""
    local = value.astimezone(LONDON)
    return (
        f"{local.day} {local:%B %Y} at {local.hour % 12 or 12}:{local:%M}{'am' if local.hour < 12 else 'pm'}"
    )


@pass_context
def csrf_field(context: Context) -> Markup:
    """The hidden CSRF field every post form needs: `{{ csrf_field() }}`."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(
        csrf.FIELD, context.get("csrf_token", "")
    )


def uk_date(value: date | datetime | None) -> str:
    return "" if value is None else f"{value.day} {value:%B %Y}"


class WebUi:
    """One service's pages: templates, navigation, cookie names and rate limiters."""

    def __init__(
        self,
        kit: ServiceKit,
        *,
        templates: Path | None = None,
        static: Path | None = None,
        nav: Sequence[NavItem] = (),
    ) -> None:
        self.kit = kit
        self.static = static
        self.nav = [*nav, *KIT_NAV]
        if kit.settings.is_development and kit.settings.mail_folder is not None:
            self.nav.append(NavItem("Mail (development)", "/dev/mail"))
        secure = not kit.settings.is_development
        self.secure_cookies = secure
        # __Host- cookies are only accepted over HTTPS, for this exact host and path "/".
        prefix = "__Host-" if secure else ""
        self.session_cookie = f"{prefix}forum_{kit.name}_session"
        self.csrf_cookie = f"{prefix}forum_{kit.name}_csrf"
        self.notice_cookie = f"{prefix}forum_{kit.name}_notice"
        loaders = [FileSystemLoader(templates)] if templates else []
        self.env = Environment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(KIT_TEMPLATES)]),
            autoescape=select_autoescape(default=True, default_for_string=True),
            trim_blocks=True,
            lstrip_blocks=True,
        )
        self.env.filters.update(uk_time=uk_time, uk_date=uk_date, role_name=lambda r: ROLE_NAMES.get(r, r))
        sites = [
            (SITE_LABELS.get(name, name.title()), url.rstrip("/") + "/")
            for name, url in kit.settings.forum_sites.items()
            if name != kit.name
        ]
        self.env.globals.update(
            service_name=kit.name, service_title=kit.title, csrf_field=csrf_field, forum_sites=sites
        )
        self.templates = Jinja2Templates(env=self.env)
        self.limiters: dict[str, Any] = {}

    def set_cookie(self, response: Response, name: str, value: str, max_age: int | None = None) -> None:
        response.set_cookie(
            name, value, max_age=max_age, path="/", httponly=True, samesite="lax", secure=self.secure_cookies
        )

    def nav_for(self, user: Principal | None) -> list[NavItem]:
        return [item for item in self.nav if item.visible_to(user)]


def render(
    request: Request,
    template: str,
    *,
    status_code: int = 200,
    headers: dict[str, str] | None = None,
    **context: Any,
) -> Response:
    """A page from `template`, with the signed-in user, navigation, CSRF token and any notice."""
    ui: WebUi = request.app.state.kit.ui
    user = getattr(request.state, "principal", None)
    notice = csrf.unpack_notice(ui, request.cookies.get(ui.notice_cookie))
    page = {
        "user": user,
        "nav": ui.nav_for(user),
        "csrf_token": csrf.token_for(request),
        "notice": notice,
        "current_path": request.url.path,
        "root_path": request.scope.get("root_path", ""),
        **context,
    }
    response = ui.templates.TemplateResponse(
        request, template, page, status_code=status_code, headers=headers
    )
    new_cookie = getattr(request.state, "new_csrf_cookie", None)
    if new_cookie:
        ui.set_cookie(response, ui.csrf_cookie, new_cookie)
    if ui.notice_cookie in request.cookies:
        response.delete_cookie(
            ui.notice_cookie, path="/", secure=ui.secure_cookies, httponly=True, samesite="lax"
        )
    # Pages can carry personal data: never keep them in shared caches or the back-forward cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def notify(
    response: Response, request: Request, text: str, *, title: str = "Success", kind: str = "success"
) -> Response:
    """Show a notification banner on the next page (after a redirect), e.g. "Feedback escalated"."""
    ui: WebUi = request.app.state.kit.ui
    ui.set_cookie(
        response, ui.notice_cookie, csrf.pack_notice(ui, {"title": title, "text": text, "kind": kind}), 120
    )
    return response
