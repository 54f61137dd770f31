"""Browser sign-ins, kept as rows in the service's own database.

Why rows rather than a signed cookie (itsdangerous): signing out, disabling an account or changing
a password must end a sign-in at once, everywhere, and a signed cookie stays valid until it
expires. The cookie carries only a random token; the row keeps its SHA-256, so a copy of the
database cannot be used to sign in. Each service has its own cookie name, because browsers share
cookies between ports of one host (as in the embedded default).
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.identity.principal import Principal
from forum_shared.tables import accounts, web_sessions

if TYPE_CHECKING:
    from forum_shared.db import Database

# Seen-time is written at most this often, so browsing is not a write per page.
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def start_session(session: AsyncSession, account_id: str, lifetime: timedelta) -> str:
    """A new sign-in for the account; returns the token for the cookie (kept nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = datetime.now(UTC)
    await session.execute(
        insert(web_sessions).values(
            token_hash=token_hash(token),
            account_id=account_id,
            created_at=now,
            last_seen_at=now,
            expires_at=now + lifetime,
        )
    )
    # Expired rows of anyone are tidied here, which is often enough and needs no timer.
    await session.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
    return token


async def end_session(session: AsyncSession, token: str) -> None:
    await session.execute(delete(web_sessions).where(web_sessions.c.token_hash == token_hash(token)))


async def principal_for_session(db: Database, token: str, idle: timedelta) -> Principal | None:
    """The person signed in with this cookie token, or None if it expired, idled out or was ended."""
    now = datetime.now(UTC)
    hashed = token_hash(token)
    async with db.read() as session:
        row = (
            await session.execute(
                select(web_sessions.c.last_seen_at, web_sessions.c.expires_at, accounts)
                .join(accounts, accounts.c.id == web_sessions.c.account_id)
                .where(web_sessions.c.token_hash == hashed)
            )
        ).first()
    if row is None or row.expires_at <= now or row.last_seen_at + idle <= now or row.disabled_at is not None:
        return None
    if now - row.last_seen_at >= TOUCH_EVERY:
        # Bookkeeping, not a change anyone accounts for (no audit entry, no event): a plain
        # transaction, not the unit of work, and not under the request's Idempotency-Key.
        async with db.transaction() as session:
            await session.execute(
                update(web_sessions).where(web_sessions.c.token_hash == hashed).values(last_seen_at=now)
            )
    return Principal("account", row.id, row.name, row.role)
