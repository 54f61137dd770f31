"""`Idempotency-Key` on POST: a client that is cut off and sends the same request again gets the
first answer back, and the change is made once.

The key is claimed in the same transaction as the change the request makes (the unit of work does
it, see `claim`), so it exists exactly when the change was committed: a retry after a lost answer
finds it and gets the stored answer; two copies racing each other cannot both commit (the second
is refused with 409); a request that changed nothing (a 422, say) leaves no key and may be sent
again as it is. Keys are kept for a day, per sender (a program's token, a browser's session, or
the public), so one sender's key never answers another's request.
"""

from __future__ import annotations

import contextvars
import hashlib
import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.datastructures import Headers
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from forum_shared.db import Database
from forum_shared.errors import Conflict
from forum_shared.tables import idempotency_keys

HEADER = "idempotency-key"
KEPT = timedelta(days=1)
MAX_KEY = 200
MAX_STORED_BODY = 256 * 1024
REPLAYED_HEADERS = ("content-type", "location")


@dataclass
class Claim:
    key: str
    fingerprint: str
    taken: bool = False


_claim: contextvars.ContextVar[Claim | None] = contextvars.ContextVar("forum_idempotency_claim", default=None)


class RequestAlreadyMade(Conflict):
    """Another copy of this request (same Idempotency-Key) committed first."""


async def claim(session: AsyncSession) -> None:
    """Called by the unit of work inside its transaction: the first change a keyed request makes
    writes the key with it."""
    pending = _claim.get()
    if pending is None or pending.taken:
        return
    try:
        await session.execute(
            insert(idempotency_keys).values(
                key=pending.key, fingerprint=pending.fingerprint, created_at=datetime.now(UTC)
            )
        )
    except IntegrityError as exc:
        raise RequestAlreadyMade(
            "This request (the same Idempotency-Key) was already received and is being recorded: "
            "do not send it again; look for its result instead."
        ) from exc
    pending.taken = True


async def forget_old_keys(db: Database) -> int:
    async with db.transaction() as session:
        result = await session.execute(
            delete(idempotency_keys).where(idempotency_keys.c.created_at < datetime.now(UTC) - KEPT)
        )
    return int(getattr(result, "rowcount", 0) or 0)


def _sender(headers: Headers) -> str:
    """Whose key it is: a token, a signed-in browser, or the public (hashed: it is a secret)."""
    who = headers.get("authorization") or headers.get("cookie") or "the public"
    return hashlib.sha256(who.encode()).hexdigest()[:32]


class Idempotency:
    """ASGI middleware for POST requests that carry an Idempotency-Key header."""

    def __init__(self, app: ASGIApp, db: Database) -> None:
        self.app = app
        self.db = db

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "POST":
            await self.app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        key = headers.get(HEADER)
        if key is None:
            await self.app(scope, receive, send)
            return
        if not 1 <= len(key) <= MAX_KEY or not key.isprintable():
            await _answer(send, 400, f"An Idempotency-Key is 1 to {MAX_KEY} visible characters, e.g. a UUID.")
            return
        body = await _read_body(receive)
        fingerprint = hashlib.sha256(
            json.dumps([scope["method"], scope["path"], scope.get("query_string", b"").decode("latin-1")]).encode()
            + b"\0" + body
        ).hexdigest()
        stored_key = f"{_sender(headers)}:{hashlib.sha256(key.encode()).hexdigest()}"
        async with self.db.read() as session:
            query = select(idempotency_keys).where(idempotency_keys.c.key == stored_key)
            found = (await session.execute(query)).first()
        if found is not None:
            await self._again(send, found, fingerprint)
            return
        pending = Claim(stored_key, fingerprint)
        token = _claim.set(pending)
        answer: dict[str, Any] = {"headers": {}, "body": b""}

        async def replay_body() -> Message:
            nonlocal body
            chunk, body = body, b""
            return {"type": "http.request", "body": chunk, "more_body": False}

        async def keep(message: Message) -> None:
            if message["type"] == "http.response.start":
                answer["status"] = message["status"]
                answer["headers"] = {
                    k.decode("latin-1").lower(): v.decode("latin-1") for k, v in message.get("headers", [])
                }
            elif message["type"] == "http.response.body" and len(answer["body"]) <= MAX_STORED_BODY:
                answer["body"] += message.get("body", b"")
            await send(message)

        try:
            await self.app(scope, replay_body, keep)
        finally:
            _claim.reset(token)
        if pending.taken and answer.get("status", 500) < 500 and len(answer["body"]) <= MAX_STORED_BODY:
            kept = {k: v for k, v in answer["headers"].items() if k in REPLAYED_HEADERS}
            async with self.db.transaction() as session:
                await session.execute(
                    update(idempotency_keys)
                    .where(idempotency_keys.c.key == stored_key)
                    .values(status_code=answer["status"], response_headers=kept,
                            response_body=answer["body"].decode("utf-8", errors="replace"))
                )

    async def _again(self, send: Send, found: Any, fingerprint: str) -> None:
        if found.fingerprint != fingerprint:
            await _answer(send, 422, "This Idempotency-Key was already used for a different request: "
                                     "use a new key for a new request.")
        elif found.status_code is None:
            await _answer(send, 409, "This request (the same Idempotency-Key) was received and recorded; "
                                     "its answer is not ready yet. Try again in a moment.")
        else:
            headers = [(k.encode(), v.encode()) for k, v in (found.response_headers or {}).items()]
            headers.append((b"idempotent-replayed", b"true"))
            await send({"type": "http.response.start", "status": found.status_code, "headers": headers})
            await send({"type": "http.response.body", "body": (found.response_body or "").encode()})


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body"):
            return b"".join(chunks)


async def _answer(send: Send, status: int, detail: str) -> None:
    body = json.dumps({"detail": detail}).encode()
    await send({"type": "http.response.start", "status": status,
                "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]})
    await send({"type": "http.response.body", "body": body})
