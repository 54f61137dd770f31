"""Cross-site request forgery protection for every form.

A form's token is an HMAC, under the service's secret key, of a cookie value the other site cannot
read: the sign-in cookie when signed in (so the token is tied to that sign-in), otherwise a random
cookie set when a public form is shown (a signed double-submit cookie, for anonymous forms such as
giving feedback or signing in). A forged form has no way to know or make the token.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
from typing import TYPE_CHECKING, Any

from starlette.requests import HTTPConnection

if TYPE_CHECKING:
    from forum_shared.ui.templating import WebUi

FIELD = "csrf_token"
HEADER = "x-csrf-token"


def _key(ui: WebUi) -> bytes:
    return ui.kit.settings.secret_key.get_secret_value().encode()


def sign(ui: WebUi, purpose: str, value: str) -> str:
    return hmac.new(_key(ui), f"{purpose}|{value}".encode(), hashlib.sha256).hexdigest()


def binding(ui: WebUi, cookies: dict[str, str]) -> str | None:
    return cookies.get(ui.session_cookie) or cookies.get(ui.csrf_cookie)


def token_for(connection: HTTPConnection) -> str:
    """The token to put in a form shown on this request (sets the anonymous cookie if needed)."""
    ui: WebUi = connection.app.state.kit.ui
    value = binding(ui, connection.cookies) or getattr(connection.state, "new_csrf_cookie", None)
    if value is None:
        value = secrets.token_urlsafe(32)
        connection.state.new_csrf_cookie = value  # set on the response by `render`
    return sign(ui, "csrf", value)


def is_valid(ui: WebUi, cookies: dict[str, str], submitted: str | None) -> bool:
    value = binding(ui, cookies)
    if not value or not submitted:
        return False
    return hmac.compare_digest(sign(ui, "csrf", value), submitted)


def pack_notice(ui: WebUi, notice: dict[str, Any]) -> str:
    """A notice for the next page, signed so another site cannot plant text on ours."""
    body = base64.urlsafe_b64encode(json.dumps(notice).encode()).decode()
    return f"{body}.{sign(ui, 'notice', body)}"


def unpack_notice(ui: WebUi, value: str | None) -> dict[str, Any] | None:
    if not value or "." not in value:
        return None
    body, _, signature = value.rpartition(".")
    if not hmac.compare_digest(sign(ui, "notice", body), signature):
        return None
    try:
        notice: dict[str, Any] = json.loads(base64.urlsafe_b64decode(body.encode()))
    except ValueError:
        return None
    return notice
