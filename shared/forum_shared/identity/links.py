"""Signed, expiring links: a token in a URL that proves the service wrote it, for whom and until
when, with nothing stored (e.g. managing a meeting registration from an email without signing in).

    token = links.sign(secret, "manage-registration", registration_id, expires_at)
    registration_id = links.read(secret, "manage-registration", token)   # LinkRefused if not

The token holds its value readably (base64), so put ids in it, never names or addresses. A link
that must work only once (signing in) is a random token whose hash the service stores instead
(`forum_shared.identity.sessions.token_hash`).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime


class LinkRefused(Exception):
    """The link was not made by this service for this purpose, or has expired (the message says which)."""


def b64(data: bytes) -> str:
    """URL-safe base64 without padding, as tokens in links use."""
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _signature(secret: str, purpose: str, payload: str) -> str:
    return b64(hmac.new(secret.encode(), f"{purpose}|{payload}".encode(), hashlib.sha256).digest())


def sign(secret: str, purpose: str, value: str, expires_at: datetime) -> str:
    payload = b64(json.dumps([value, int(expires_at.timestamp())], separators=(",", ":")).encode())
    return f"{payload}.{_signature(secret, purpose, payload)}"


def read(secret: str, purpose: str, token: str, now: datetime | None = None) -> str:
    """The value signed into `token` for `purpose`; `LinkRefused` if it was not, or has expired."""
    payload, _, signature = token.partition(".")
    refused = LinkRefused("This link is not valid. Check you copied all of it, or ask for a new one.")
    if not token.isascii() or not signature or not hmac.compare_digest(signature, _signature(secret, purpose, payload)):
        raise refused
    try:
        value, expires = json.loads(unb64(payload))
    except ValueError as exc:  # signed by us, so only a changed secret or format gets here
        raise refused from exc
    if (now or datetime.now(UTC)).timestamp() > expires:
        raise LinkRefused("This link has expired. Ask for a new one.")
    return str(value)

