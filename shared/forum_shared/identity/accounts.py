"""Accounts of the people who sign in to this service, and the sign-in rules (with lock-out).

These are the records and their rules, taking an open transaction's session like every store. The
use cases that change them (`forum_shared.use_cases`) run each change in the kit's unit of work,
which writes its audit entry with it; nothing here writes an audit entry. Password hashing happens
before the transaction opens, so a slow hash never holds the SQLite writer lock.
"""

from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import delete, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import insert_on_conflict
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.identity.principal import ROLES, Principal
from forum_shared.tables import accounts, sign_in_failures, web_sessions


def normalise_email(email: str) -> str:
    return email.strip().lower()


def _email_key(email: str) -> str:
    return hashlib.sha256(normalise_email(email).encode()).hexdigest()


def check_role(role: str) -> str:
    if role not in ROLES:
        raise Invalid(f"Role must be one of: {', '.join(ROLES)}.")
    return role


async def find_by_email(session: AsyncSession, email: str) -> dict[str, Any] | None:
    row = (await session.execute(select(accounts).where(accounts.c.email == normalise_email(email)))).first()
    return dict(row._mapping) if row else None


async def get_account(session: AsyncSession, account_id: str) -> dict[str, Any]:
    row = (await session.execute(select(accounts).where(accounts.c.id == account_id))).first()
    if row is None:
        raise NotFound("There is no account with that id.")
    return dict(row._mapping)


async def list_accounts(session: AsyncSession) -> list[dict[str, Any]]:
    rows = await session.execute(select(accounts).order_by(accounts.c.name, accounts.c.email))
    return [dict(r._mapping) for r in rows]


async def create_account(
    session: AsyncSession,
    *,
    email: str,
    name: str,
    password_hash: str,
    role: str,
) -> dict[str, Any]:
    """Add an account (hash the password first with `passwords.hash_password`); its audit entry
    is the caller's (`use_cases.create_account` writes "account.created")."""
    check_role(role)
    if await find_by_email(session, email):
        raise Conflict("There is already an account with that email address.")
    row = {
        "id": str(uuid.uuid4()),
        "email": normalise_email(email),
        "name": name.strip(),
        "password_hash": password_hash,
        "role": role,
        "created_at": datetime.now(UTC),
        "last_signed_in_at": None,
        "disabled_at": None,
    }
    await session.execute(insert(accounts).values(**row))
    return row


async def change_account(
    session: AsyncSession,
    account_id: str,
    *,
    actor: Principal | str,
    role: str | None = None,
    disabled: bool | None = None,
    password_hash: str | None = None,
) -> dict[str, Any]:
    """Change an account's role, disable or enable it, or set a new password; returns the account
    as it is now (`use_cases.change_account` audits each change).

    Disabling or a new password ends the account's sign-ins everywhere.
    """
    account = await get_account(session, account_id)
    changes: dict[str, Any] = {}
    # An actor named by a string ("system": a command, the demo loader) is nobody's own account.
    own_account = isinstance(actor, Principal) and account_id == actor.id and actor.kind == "account"
    if role is not None and role != account["role"]:
        check_role(role)
        if own_account:
            raise Conflict("You cannot change your own role; ask another administrator.")
        changes["role"] = role
    if disabled is not None and disabled != (account["disabled_at"] is not None):
        if disabled and own_account:
            raise Conflict("You cannot disable your own account.")
        changes["disabled_at"] = datetime.now(UTC) if disabled else None
    if password_hash is not None:
        changes["password_hash"] = password_hash
    if changes:
        await session.execute(update(accounts).where(accounts.c.id == account_id).values(**changes))
    if changes.get("disabled_at") or password_hash is not None:
        await session.execute(delete(web_sessions).where(web_sessions.c.account_id == account_id))
    return {**account, **changes}


@dataclass(frozen=True)
class SignInOutcome:
    account: dict[str, Any] | None  # set when the email and password were right
    locked_until: datetime | None = None  # set when this email is locked out
    session_token: str | None = None  # for the cookie, when signed in


async def lockout_of(session: AsyncSession, email: str, now: datetime) -> datetime | None:
    """When the lock-out on this email ends, if it is locked now."""
    locked = await session.scalar(
        select(sign_in_failures.c.locked_until).where(sign_in_failures.c.email_hash == _email_key(email))
    )
    return locked if locked and locked > now else None


async def record_sign_in(
    session: AsyncSession,
    email: str,
    account: dict[str, Any] | None,
    password_ok: bool,
    *,
    max_failures: int,
    lockout: timedelta,
    now: datetime,
) -> SignInOutcome:
    """Apply the outcome of a password check: count failures (locking after `max_failures` in a row
    within `lockout`), or clear them and note the sign-in. Failures are counted per email, known or
    not, so a lock-out does not reveal whether an account exists. The counter is written in the
    same unit of work as the audit entry of the attempt (`use_cases.sign_in`)."""
    key = _email_key(email)
    if password_ok and account is not None and account["disabled_at"] is None:
        await session.execute(delete(sign_in_failures).where(sign_in_failures.c.email_hash == key))
        await session.execute(
            update(accounts).where(accounts.c.id == account["id"]).values(last_signed_in_at=now)
        )
        return SignInOutcome(account)

    previous = (
        await session.execute(select(sign_in_failures).where(sign_in_failures.c.email_hash == key))
    ).first()
    failures = 1
    if previous is not None and previous.last_failed_at > now - lockout:
        failures = previous.failures + 1
    locked_until = now + lockout if failures >= max_failures else None
    values = {
        "email_hash": key,
        "failures": 0 if locked_until else failures,
        "last_failed_at": now,
        "locked_until": locked_until,
    }
    await _upsert_failures(session, values)
    return SignInOutcome(None, locked_until)


async def _upsert_failures(session: AsyncSession, values: dict[str, Any]) -> None:
    # An upsert, so two wrong passwords at the same moment cannot both try to insert the first row.
    stmt = insert_on_conflict(session, sign_in_failures).values(**values)
    stmt = stmt.on_conflict_do_update(
        index_elements=["email_hash"], set_={k: v for k, v in values.items() if k != "email_hash"}
    )
    await session.execute(stmt)


async def renew_hash(session: AsyncSession, account_id: str, password_hash: str) -> None:
    await session.execute(
        update(accounts).where(accounts.c.id == account_id).values(password_hash=password_hash)
    )


async def unlock(session: AsyncSession, email: str) -> None:
    """Clear the failed sign-ins counted against this email, ending any lock-out."""
    await session.execute(delete(sign_in_failures).where(sign_in_failures.c.email_hash == _email_key(email)))
