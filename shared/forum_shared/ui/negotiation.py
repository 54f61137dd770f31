"""Errors as a page for browsers and as problem details (RFC 9457, `forum_shared.ui.problems`) for
programs, chosen by the request's Accept header."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.formparsers import MultiPartException
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.ui.problems import ProblemResponse, methods_at, problem
from forum_shared.ui.templating import render

PAGE_TITLES = {
    400: "There is a problem with the request",
    401: "You need to sign in",
    403: "You do not have permission to do this",
    404: "Page not found",
    405: "This page cannot do that",
    409: "That has changed since you looked",
    413: "What you sent is too large",
    422: "There is a problem",
    429: "Too many attempts",
}
NOT_FOUND = (
    "If you typed the web address, check it is correct. If you pasted it, check you copied the whole address."
)


def _quality(accept: str, media_type: str) -> float:
    for part in accept.split(","):
        kind, *params = (p.strip() for p in part.split(";"))
        if kind == media_type:
            for param in params:
                if param.startswith("q="):
                    try:
                        return float(param[2:])
                    except ValueError:
                        return 0.0
            return 1.0
    return 0.0


def wants_html(request: Request) -> bool:
    """Browsers ask for text/html by name; programs ask for JSON or anything (*/*)."""
    accept = request.headers.get("accept", "")
    html = _quality(accept, "text/html")
    return html > 0 and html >= _quality(accept, "application/json")


def error_response(
    request: Request,
    status_code: int,
    message: str,
    *,
    title: str | None = None,
    body: dict[str, Any] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    """An error a person can act on: a page with `title` and `message`, or a problem (RFC 9457) whose
    `detail` is `message`, with `body["errors"]` (the fields refused) if given."""
    if wants_html(request):
        return render(
            request,
            "kit/error.html",
            status_code=status_code,
            headers=headers,
            title=title or PAGE_TITLES.get(status_code, "Sorry, there is a problem"),
            message=message,
            errors=(body or {}).get("errors", []),
            status=status_code,
        )
    errors = (body or {}).get("errors")
    return ProblemResponse(
        problem(status_code, message, request.url.path, errors), status_code=status_code, headers=headers
    )


class SignInRequired(Exception):
    """Raised by `require_role` when nobody (or an unknown token) is signed in."""

    def __init__(self, message: str = "Sign in to use this.") -> None:
        super().__init__(message)
        self.message = message


UNEXPECTED = (
    "Sorry, something went wrong on our side. Try again later; if it keeps happening, tell the forum's staff."
)


def safe_next(path: str | None) -> str:
    """Only a path on this site, so a link cannot send someone elsewhere after signing in."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/"
    return path


def readable_errors(errors: Sequence[Any]) -> list[dict[str, Any]]:
    out = []
    for err in errors:
        loc = [str(p) for p in err.get("loc", ()) if p not in ("body", "query", "path")]
        field = ".".join(loc) or "request"
        message = err.get("msg", "is not valid")
        if err.get("type") == "json_invalid":
            field, message = "request", "The request body is not valid JSON."
        elif err.get("type") == "missing":
            message = "This field is required."
        out.append({"field": field, "message": message})
    return out


def unreadable_body(reason: object) -> str:
    return (
        f"The body of the request could not be read as a form ({reason}). Send a complete form, or JSON "
        "with 'Content-Type: application/json'."
    )


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, exc: StarletteHTTPException) -> Response:
        if exc.status_code == 404 and exc.detail == "Not Found":
            message = (
                NOT_FOUND
                if wants_html(request)
                else (
                    f"There is nothing at {request.url.path}: check the address (the API is described at /docs)."
                )
            )
        else:
            message = str(exc.detail)
        headers = dict(getattr(exc, "headers", None) or {})
        if exc.status_code == 405:
            allowed = methods_at(request.app, request.url.path)
            headers["Allow"] = ", ".join(allowed)
            message = f"{request.url.path} does not take {request.method}: it takes {' or '.join(allowed)}."
        return error_response(request, exc.status_code, message, headers=headers or None)

    @app.exception_handler(MultiPartException)
    async def unreadable_form(request: Request, exc: MultiPartException) -> Response:
        return error_response(request, 400, unreadable_body(exc.message))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, exc: RequestValidationError) -> Response:
        errors = readable_errors(exc.errors())
        summary = "; ".join(f"{e['field']}: {e['message']}" for e in errors)
        detail = f"Please check your request — {summary}"
        return error_response(request, 422, detail, body={"detail": detail, "errors": errors})

    @app.exception_handler(ForumError)
    async def forum_error(request: Request, exc: ForumError) -> Response:
        return error_response(request, exc.status_code, exc.message, headers=getattr(exc, "headers", None))

    @app.exception_handler(SignInRequired)
    async def sign_in_required(request: Request, exc: SignInRequired) -> Response:
        if wants_html(request) and request.method in ("GET", "HEAD"):
            target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            return RedirectResponse(f"/sign-in?next={quote(target, safe='/')}", status_code=303)
        return error_response(request, 401, exc.message, headers={"WWW-Authenticate": "Bearer"})
