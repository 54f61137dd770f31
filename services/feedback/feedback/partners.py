"""Partner organisations' systems send feedback with an API key issued here."""

from __future__ import annotations

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.store import partner_clients
from forum_shared.errors import Conflict, ForumError, NotFound


class NotSignedIn(ForumError):
    status_code = 401


def _hash(key: str) -> str:
    # Keys are long and random, so a plain SHA-256 is enough to keep them unusable if the
    # database leaks; a slow password hash would only slow every partner request.
    return hashlib.sha256(key.encode()).hexdigest()


async def issue_key(session: AsyncSession, name: str) -> dict:
    """Register a partner organisation's system; its key is returned this once only."""
    key = "fbk_" + secrets.token_urlsafe(32)
    row = {"id": str(uuid.uuid4()), "name": name.strip(), "key_hash": _hash(key),
           "created_at": datetime.now(UTC), "revoked_at": None}
    await session.execute(insert(partner_clients).values(**row))
    return {**row, "api_key": key}


async def list_clients(session: AsyncSession) -> list[dict]:
    rows = await session.execute(select(partner_clients).order_by(partner_clients.c.created_at))
    return [dict(r._mapping) for r in rows.all()]


async def revoke(session: AsyncSession, client_id: str) -> dict:
    row = (await session.execute(select(partner_clients).where(partner_clients.c.id == client_id))).first()
    if row is None:
        raise NotFound(f"There is no partner client with id {client_id}.")
    if row.revoked_at:
        raise Conflict("This partner client's key was already revoked.")
    now = datetime.now(UTC)
    await session.execute(update(partner_clients).where(partner_clients.c.id == client_id).values(revoked_at=now))
    return {**row._mapping, "revoked_at": now}


async def authenticate(session: AsyncSession, authorization: str | None) -> dict:
    """The partner client an `Authorization: Bearer <key>` header belongs to."""
    scheme, _, key = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not key.strip():
        raise NotSignedIn("Send your partner API key as 'Authorization: Bearer <key>'.")
    hashed = _hash(key.strip())
    row = (await session.execute(select(partner_clients).where(partner_clients.c.key_hash == hashed))).first()
    if row is None or row.revoked_at:
        raise NotSignedIn("This API key is not valid or was revoked: ask forum staff for a new one.")
    return dict(row._mapping)
