"""Rate limits for sign-in and public forms: a sliding window per client address, in this process.

In-process is enough for one replica, and errs on the generous side with several (each replica
counts alone); lock-out after wrong passwords is kept in the database and holds across replicas.
"""

from __future__ import annotations

import math
import time
from collections import deque
from collections.abc import Awaitable, Callable

from fastapi import Request

from forum_shared.errors import ForumError
from forum_shared.ui.auth import current_principal
from forum_shared.ui.problems import may_refuse

KINDS = ("sign_in", "public_form")


class TooManyRequests(ForumError):
    status_code = 429

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.headers = {"Retry-After": str(retry_after)}


class SlidingWindow:
    """At most `limit` hits per key in any `seconds`-long window."""

    def __init__(self, limit: int, seconds: float) -> None:
        self.limit = limit
        self.seconds = seconds
        self._hits: dict[str, deque[float]] = {}
        self._calls = 0

    def hit(self, key: str, now: float | None = None) -> float | None:
        """Count a hit; returns seconds to wait if over the limit (the hit is then not counted)."""
        now = time.monotonic() if now is None else now
        self._calls += 1
        if self._calls % 1000 == 0:
            self._forget_idle(now)
        hits = self._hits.setdefault(key, deque())
        while hits and hits[0] <= now - self.seconds:
            hits.popleft()
        if len(hits) >= self.limit:
            return hits[0] + self.seconds - now
        hits.append(now)
        return None

    def _forget_idle(self, now: float) -> None:
        for key in [k for k, hits in self._hits.items() if not hits or hits[-1] <= now - self.seconds]:
            del self._hits[key]


def limiter(request: Request, kind: str) -> SlidingWindow:
    ui = request.app.state.kit.ui
    if kind not in ui.limiters:
        settings = request.app.state.kit.settings
        ui.limiters[kind] = SlidingWindow(
            getattr(settings, f"{kind}_rate_limit"), getattr(settings, f"{kind}_rate_window_seconds")
        )
    window: SlidingWindow = ui.limiters[kind]
    return window


def rate_limit(kind: str) -> Callable[[Request], Awaitable[None]]:
    """A dependency limiting how often one address may use a route: "sign_in" or "public_form".

    Public forms are not limited for signed-in people (staff entering a pop-up forum's views) nor
    for partner organisations' programs with an API token.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be one of {KINDS}")

    async def dependency(request: Request) -> None:
        if kind == "public_form" and await current_principal(request) is not None:
            return
        address = request.client.host if request.client else "unknown"
        wait = limiter(request, kind).hit(address)
        if wait is not None:
            minutes = max(1, math.ceil(wait / 60))
            raise TooManyRequests(
                f"There have been too many attempts from your connection. Wait {minutes} "
                f"minute{'s' if minutes != 1 else ''} and try again.",
                math.ceil(wait),
            )

    dependency.__name__ = f"rate_limit_{kind}"
    return may_refuse(401, 429)(dependency)  # 401: a token that is not valid
