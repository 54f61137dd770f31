"""Reading the Open Referral UK API from other sites (CORS), and nothing else.

Other directories' tools and web pages read the open API from a browser, so its read routes answer
any origin: `Access-Control-Allow-Origin: *`, never with credentials, so a browser lets another
site read only what it would get without anyone's cookie. Everything else sends no CORS header at
all: the staff routes, every write (even to an address the open API reads from, such as
`POST /services`), and pages for people (including the start page a browser gets at `/`). Another
site's script can then neither read them nor pass a preflight to send a change.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from starlette.datastructures import Headers, MutableHeaders
from starlette.responses import PlainTextResponse
from starlette.types import ASGIApp, Message, Receive, Scope, Send

READS = ("GET", "HEAD")
ALLOWED_METHODS = "GET, HEAD, OPTIONS"
# What a reader's script may add to a read; a browser sends the CORS-safelisted ones freely.
ALLOWED_HEADERS = "Accept, Accept-Language, Cache-Control, If-Modified-Since, If-None-Match, X-Requested-With"
PREFLIGHT_SECONDS = "600"
ONLY_READS = "Other sites may only read the Open Referral UK API here (GET or HEAD)."


class OpenReadsAcrossOrigins:
    """ASGI middleware: the CORS answers for the routes whose paths match `open_paths`."""

    def __init__(self, app: ASGIApp, *, open_paths: Iterable[re.Pattern[str]]) -> None:
        self.app = app
        self.open_paths = tuple(open_paths)

    def _is_open(self, path: str) -> bool:
        return any(pattern.match(path) for pattern in self.open_paths)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._is_open(scope["path"]):
            return await self.app(scope, receive, send)
        method = scope["method"]
        headers = Headers(scope=scope)
        if method == "OPTIONS" and "origin" in headers and "access-control-request-method" in headers:
            return await self._preflight(headers, scope, receive, send)
        if method not in READS:
            return await self.app(scope, receive, send)

        async def send_readable(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer = MutableHeaders(scope=message)
                # A page is for people on this site, even at the open API's address.
                if not answer.get("content-type", "").startswith("text/html"):
                    answer["Access-Control-Allow-Origin"] = "*"
            await send(message)

        await self.app(scope, receive, send_readable)

    async def _preflight(self, headers: Headers, scope: Scope, receive: Receive, send: Send) -> None:
        if headers["access-control-request-method"].strip().upper() not in READS:
            # No CORS header: the browser does not send the change.
            return await PlainTextResponse(ONLY_READS, status_code=400)(scope, receive, send)
        answer = PlainTextResponse(
            "OK",
            headers={
                "Access-Control-Allow-Origin": "*",
                "Access-Control-Allow-Methods": ALLOWED_METHODS,
                "Access-Control-Allow-Headers": ALLOWED_HEADERS,
                "Access-Control-Max-Age": PREFLIGHT_SECONDS,
            },
        )
        await answer(scope, receive, send)
