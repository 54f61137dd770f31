"""Security on every request: response headers, a request size limit and the CSRF check.

Plain ASGI middleware (not BaseHTTPMiddleware), so bodies can be counted and replayed as they
stream, and the rules hold for every route a service adds without it having to ask.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterable
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from sqlalchemy.exc import DBAPIError
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_shared import logs
from forum_shared.ui import csrf
from forum_shared.ui.negotiation import UNEXPECTED, error_response, unreadable_body

if TYPE_CHECKING:
    from forum_shared.web import ServiceKit

log = logs.get_logger("forum.web")

UNSAFE = {"POST", "PUT", "PATCH", "DELETE"}
# One-click unsubscribe (RFC 8058): a mail program posts there with no cookie or token; the signed
# link is the proof, and unsubscribing is all it can do.
UNSUBSCRIBE_PREFIX = "/unsubscribe/"
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data", "text/plain")
# Swagger UI and ReDoc load their scripts from a CDN with inline start-up code; they show no
# personal data and hold no forms of ours, so only they get a looser policy.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net; "
    "style-src 'self' 'unsafe-inline' https://cdn.jsdelivr.net https://fonts.googleapis.com; "
    "img-src 'self' data: https://fastapi.tiangolo.com https://cdn.redoc.ly; "
    "font-src 'self' https://fonts.gstatic.com; worker-src 'self' blob:; frame-ancestors 'none'"
)


class RequestTooLarge(HTTPException):
    """An HTTPException, so FastAPI passes it through while reading a body rather than calling it a 400."""

    def __init__(self, limit: int) -> None:
        size = f"{limit / 1_000_000:g} MB" if limit >= 1_000_000 else f"{limit // 1000} KB"
        super().__init__(
            413,
            f"What you sent is larger than this service accepts ({size}). Send less, for example a shorter text.",
        )


class UnexpectedErrors:
    """A bug becomes a calm 500 page (or JSON), and is logged without the exception's message,
    which can quote personal data from the request; the place it happened is enough to find it.
    A database connection lost mid-request (the server restarted) is a 503 to try again in a
    moment: the pool has let go of its connections by then, and the next request gets new ones."""

    def __init__(self, app: ASGIApp, *, kit: ServiceKit) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        started = False

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, receive, noting_send)
        except Exception as exc:  # noqa: BLE001 - answered and logged here, never re-raised
            frame = traceback.extract_tb(exc.__traceback__)[-1]
            lost = isinstance(exc, DBAPIError) and exc.connection_invalidated
            (log.warning if lost else log.error)(
                "database connection lost" if lost else "unexpected error",
                error=type(exc).__name__,
                at=f"{frame.filename}:{frame.lineno} in {frame.name}",
                path=scope["path"],
            )
            if started:
                return
            await _respond(
                scope,
                receive,
                send,
                HTTPException(503, DATABASE_AWAY, {"Retry-After": "5"}) if lost else HTTPException(500, UNEXPECTED),
                title="Sorry, there is a problem with the service",
            )


DATABASE_AWAY = "The service lost touch with its database for a moment. Try again in a few seconds."


def with_forum_sites(policy: str, sites: Iterable[str]) -> str:
    """A form may lead on to the forum's other sites (signing in at membership sends a member back to
    meetings): browsers apply `form-action` to the redirects after a form is sent, so those sites'
    origins join `'self'` there."""
    origins = sorted({f"{parts.scheme}://{parts.netloc}" for parts in map(urlsplit, sites) if parts.netloc})
    if not origins:
        return policy
    return policy.replace("form-action 'self'", " ".join(["form-action 'self'", *origins]), 1)


class SecurityHeaders:
    def __init__(self, app: ASGIApp, *, kit: ServiceKit) -> None:
        self.app = app
        policy = with_forum_sites(kit.settings.content_security_policy, kit.settings.forum_sites.values())
        # Made once: every page's headers, and those of the API's documentation pages.
        self.headers = _security_headers(policy, hsts=not kit.settings.is_development)
        self.docs_headers = _security_headers(DOCS_CSP, hsts=not kit.settings.is_development)
        self.docs_paths: frozenset[str] | None = None  # known once the app answers its first request

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        if self.docs_paths is None:
            app = scope.get("app")
            urls = ("docs_url", "redoc_url", "swagger_ui_oauth2_redirect_url")
            self.docs_paths = frozenset(path for url in urls if (path := getattr(app, url, None)))
        extra = self.docs_headers if scope["path"] in self.docs_paths else self.headers

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.setdefault("headers", [])
                present = {name.lower() for name, _ in headers}
                headers.extend(header for header in extra if header[0] not in present)
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _security_headers(csp: str, *, hsts: bool) -> tuple[tuple[bytes, bytes], ...]:
    headers = [
        (b"content-security-policy", csp.encode()),
        (b"x-frame-options", b"DENY"),
        (b"x-content-type-options", b"nosniff"),
        (b"referrer-policy", b"strict-origin-when-cross-origin"),
        (b"permissions-policy", b"camera=(), microphone=(), geolocation=(), interest-cohort=()"),
        (b"cross-origin-opener-policy", b"same-origin"),
    ]
    if hsts:
        headers.append((b"strict-transport-security", b"max-age=31536000; includeSubDomains"))
    return tuple(headers)


class BodyLimit:
    """Refuse bodies over `max_request_bytes` with 413, by Content-Length or while streaming."""

    def __init__(self, app: ASGIApp, *, kit: ServiceKit) -> None:
        self.app = app
        self.kit = kit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        limit = self.kit.settings.max_request_bytes
        declared = Headers(scope=scope).get("content-length")
        if declared and declared.isdigit() and int(declared) > limit:
            return await _respond(scope, receive, send, RequestTooLarge(limit))
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestTooLarge(limit)
            return message

        async def noting_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        try:
            await self.app(scope, counting_receive, noting_send)
        except RequestTooLarge as exc:
            if started:
                raise
            await _respond(scope, receive, send, exc)


class CsrfCheck:
    """Every state-changing request a browser could be tricked into sending must carry the token.

    That is any POST/PUT/PATCH/DELETE with a form body, or with no JSON body from a signed-in
    browser. Exempt: requests with an Authorization header (browsers never add one across sites)
    and JSON bodies (another site cannot send those without a CORS preflight, which we refuse), and
    one-click unsubscribes (`UNSUBSCRIBE_PREFIX`).
    """

    def __init__(self, app: ASGIApp, *, kit: ServiceKit) -> None:
        self.app = app
        self.kit = kit

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE:
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        if "authorization" in headers or scope["path"].startswith(UNSUBSCRIBE_PREFIX):
            return await self.app(scope, receive, send)
        ui = self.kit.ui
        content_type = headers.get("content-type", "").split(";")[0].strip().lower()
        is_form = content_type in FORM_TYPES
        cookies = Request(scope).cookies
        if (
            content_type == "application/json"
            or content_type.endswith("+json")
            or not (is_form or ui.session_cookie in cookies)
        ):
            return await self.app(scope, receive, send)

        body = b""
        more = True
        while more:
            message = await receive()
            if message["type"] == "http.disconnect":
                return
            body += message.get("body", b"")
            more = message.get("more_body", False)

        def replay() -> Receive:
            sent = False

            async def receive_again() -> Message:
                nonlocal sent
                if sent:
                    return await receive()  # only the disconnect is left
                sent = True
                return {"type": "http.request", "body": body, "more_body": False}

            return receive_again

        submitted = headers.get(csrf.HEADER)
        if submitted is None and content_type in FORM_TYPES[:2]:
            try:
                form = await Request(scope, replay()).form()
            except (MultiPartException, HTTPException) as exc:  # Starlette makes the first a 400 in an app
                reason = exc.detail if isinstance(exc, HTTPException) else exc.message
                return await _respond(scope, replay(), send, HTTPException(400, unreadable_body(reason)))
            value = form.get(csrf.FIELD)
            submitted = value if isinstance(value, str) else None
            await form.close()
        if not csrf.is_valid(ui, cookies, submitted):
            return await _respond(
                scope, replay(), send, HTTPException(403, CSRF_MESSAGE), title="This form could not be sent"
            )
        await self.app(scope, replay(), send)


CSRF_MESSAGE = (
    "For your safety, forms only work when sent from this site, and they expire when you sign in or out. "
    "Go back, reload the page and send the form again. Your browser needs to allow cookies from this site."
)


async def _respond(
    scope: Scope, receive: Receive, send: Send, exc: HTTPException, title: str | None = None
) -> None:
    request = Request(scope, receive)
    response = error_response(request, exc.status_code, exc.detail, title=title, headers=dict(exc.headers or {}))
    await response(scope, receive, send)
