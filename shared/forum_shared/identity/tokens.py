"""API tokens for partner organisations' programs: `Authorization: Bearer <token>`.

A token is shown once when made; only its SHA-256 is kept. Tokens are 256 random bits, so a fast
hash is enough (nobody can guess their way through 2^256) and lets a request find its token with one
indexed lookup; a slow password hash would add tens of milliseconds to every call.

Making and revoking a token are changes someone accounts for: `forum_shared.use_cases` runs them in
the kit's unit of work, which writes their audit entries; nothing here writes one.
"""

from __future__ import annotations

import hashlib
import secrets
import time
import uuid
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.identity.principal import TOKEN_ROLES, Principal
from forum_shared.tables import api_tokens

if TYPE_CHECKING:
    from forum_shared.db import Database

PREFIX = "forum_"
TOUCH_EVERY = timedelta(minutes=1)


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def create_token(
    session: AsyncSession, *, name: str, role: str, actor: Principal | str
) -> tuple[dict[str, Any], str]:
    """A new token for a program; returns its row and the token itself (shown this once only).
    `actor` is who made it (`created_by`, when a person or a program did)."""
    if role not in TOKEN_ROLES:
        raise Invalid(f"Role must be one of: {', '.join(TOKEN_ROLES)}.")
    token = PREFIX + secrets.token_urlsafe(32)
    row = {
        "id": str(uuid.uuid4()),
        "name": name.strip(),
        "token_hash": _hash(token),
        "prefix": token[: len(PREFIX) + 6],
        "role": role,
        "created_at": datetime.now(UTC),
        "created_by": actor.id if isinstance(actor, Principal) else None,
        "last_used_at": None,
        "revoked_at": None,
    }
    await session.execute(insert(api_tokens).values(**row))
    return row, token


async def list_tokens(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(select(api_tokens).order_by(api_tokens.c.created_at.desc()))
    return [dict(r._mapping) for r in rows]


async def revoke_token(session: AsyncSession, token_id: str) -> dict[str, Any]:
    row = (await session.execute(select(api_tokens).where(api_tokens.c.id == token_id))).first()
    if row is None:
        raise NotFound("There is no API token with that id.")
    if row.revoked_at is not None:
        raise Conflict("That API token was already revoked.")
    now = datetime.now(UTC)
    await session.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(revoked_at=now))
    _known.clear()
    return {**row._mapping, "revoked_at": now}


# A program sends its token with every request: who it belongs to is remembered for a few seconds
# per process, so a busy program costs no database read per request. Revoking a token forgets them
# all at once in the process that revoked it; another replica stops accepting it within REMEMBER.
REMEMBER = 5.0
_known: dict[tuple[int, str], tuple[Principal, float]] = {}


async def principal_for_token(db: Database, token: str) -> Principal | None:
    """The program a bearer token belongs to, or None if unknown or revoked."""
    hashed = _hash(token.strip())
    remembered = _known.get((id(db), hashed))
    if remembered is not None and remembered[1] > time.monotonic():
        return remembered[0]
    async with db.read() as session:
        row = (await session.execute(select(api_tokens).where(api_tokens.c.token_hash == hashed))).first()
    if row is None or row.revoked_at is not None:
        return None
    now = datetime.now(UTC)
    if row.last_used_at is None or now - row.last_used_at >= TOUCH_EVERY:
        # Bookkeeping, not a change anyone accounts for (no audit entry, no event): a plain
        # transaction, not the unit of work, and not under the request's Idempotency-Key.
        async with db.transaction() as session:
            await session.execute(
                update(api_tokens).where(api_tokens.c.id == row.id).values(last_used_at=now)
            )
    principal = Principal("token", row.id, row.name, row.role)
    if len(_known) > 10_000:
        _known.clear()
    _known[(id(db), hashed)] = (principal, time.monotonic() + REMEMBER)
    return principal
