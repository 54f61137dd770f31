"""The kit's own use cases: accounts, signing in and out, API tokens and unsubscribing from email.

Like every service's use cases, each change takes the database and the actor and runs in the kit's
unit of work (`forum_shared.unit_of_work`): the change and its audit entry commit together, and a
request's Idempotency-Key with them. The kit's routes (`forum_shared.ui`), `forum admin create`,
`forum token create` and the demo loader call these; `forum_shared.identity` and `forum_shared.mail`
hold the records and rules they use, and write no audit entry themselves. Passwords are hashed
before a change's transaction opens, so a slow hash never holds the SQLite writer lock.

Bookkeeping nobody accounts for stays a plain transaction where it happens: when a sign-in or a
token was last used (`identity.sessions`, `identity.tokens`). A sign-in's failed-attempt counter is
not such bookkeeping: it is written in the unit of work that audits the failed attempt.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from forum_shared import mail
from forum_shared.audit import ANONYMOUS
from forum_shared.db import Database
from forum_shared.identity import accounts, passwords, tokens
from forum_shared.identity.accounts import SignInOutcome
from forum_shared.identity.principal import Principal
from forum_shared.identity.sessions import end_session, start_session
from forum_shared.unit_of_work import Work, unit_of_work


def _account(account_id: str) -> str:
    return f"account:{account_id}"


# -- accounts ---------------------------------------------------------------------------------
async def create_account(
    db: Database, actor: Principal | str, *, email: str, name: str, password_hash: str, role: str
) -> dict[str, Any]:
    """Add an account (hash its password first with `passwords.hash_password`)."""
    async with unit_of_work(db, actor) as work:
        row = await accounts.create_account(
            work.session, email=email, name=name, password_hash=password_hash, role=role
        )
        work.audit("account.created", _account(row["id"]), role=role)
        return row


async def change_account(
    db: Database,
    actor: Principal | str,
    account_id: str,
    *,
    role: str | None = None,
    disabled: bool | None = None,
    password_hash: str | None = None,
) -> dict[str, Any]:
    """Change an account's role, disable or enable it, or set a new password (hashed first): one
    audit entry for each thing changed. Disabling or a new password ends its sign-ins everywhere."""
    async with unit_of_work(db, actor) as work:
        return await _change_account(work, account_id, role=role, disabled=disabled, password_hash=password_hash)


async def _change_account(
    work: Work, account_id: str, *, role: str | None, disabled: bool | None, password_hash: str | None
) -> dict[str, Any]:
    before = await accounts.get_account(work.session, account_id)
    after = await accounts.change_account(
        work.session, account_id, actor=work.actor, role=role, disabled=disabled, password_hash=password_hash
    )
    target = _account(account_id)
    if after["role"] != before["role"]:
        work.also_audit("account.role_changed", target, **{"from": before["role"], "to": after["role"]})
    if (after["disabled_at"] is None) != (before["disabled_at"] is None):
        work.also_audit("account.disabled" if after["disabled_at"] is not None else "account.enabled", target)
    if password_hash is not None:
        work.also_audit("account.password_changed", target)
    return after


async def change_own_password(db: Database, user: Principal, password_hash: str, session_lifetime: timedelta) -> str:
    """A person's new password (hashed first): it signs them out everywhere, then back in here.
    Returns the new sign-in's token, for the cookie (so the answer is not kept for a retry)."""
    async with unit_of_work(db, user, idempotent=False) as work:
        await _change_account(work, user.id, role=None, disabled=None, password_hash=password_hash)
        return await start_session(work.session, user.id, session_lifetime)


async def unlock_account(db: Database, actor: Principal | str, account_id: str) -> None:
    """Clear an account's failed sign-ins, ending its lock-out."""
    async with unit_of_work(db, actor, "account.unlocked", _account(account_id)) as work:
        account = await accounts.get_account(work.session, account_id)
        await accounts.unlock(work.session, account["email"])


# -- signing in and out -----------------------------------------------------------------------
async def sign_in(
    db: Database, email: str, password: str, *, max_failures: int, lockout: timedelta, session_lifetime: timedelta
) -> SignInOutcome:
    """Check an email and password, with lock-out, and start a sign-in. Success, failure and a
    refusal while locked are each audited, with the failed-attempt count in the same transaction.
    Not idempotent: a sign-in's answer holds the new sign-in's cookie, which is never stored."""
    now = datetime.now(UTC)
    async with db.read() as session:
        locked_until = await accounts.lockout_of(session, email, now)
        account = await accounts.find_by_email(session, email)
    target = _account(account["id"]) if account else None
    if locked_until:
        # Refused without checking the password, so guessing goes no further while locked.
        async with unit_of_work(db, ANONYMOUS, "account.sign_in_refused_locked", target, idempotent=False):
            pass
        return SignInOutcome(None, locked_until)
    ok = await passwords.verify_password(account["password_hash"] if account else None, password)
    new_hash = (
        await passwords.hash_password(password)
        if ok and account is not None and passwords.needs_rehash(account["password_hash"])
        else None
    )
    async with unit_of_work(db, ANONYMOUS, idempotent=False) as work:
        outcome = await accounts.record_sign_in(
            work.session, email, account, ok, max_failures=max_failures, lockout=lockout, now=now
        )
        signed_in = outcome.account
        if signed_in is None:
            work.audit("account.sign_in_failed", target, locked=outcome.locked_until is not None)
            return outcome
        work.actor = Principal("account", signed_in["id"], signed_in["name"], signed_in["role"])
        work.audit("account.signed_in", _account(signed_in["id"]))
        if new_hash:
            await accounts.renew_hash(work.session, signed_in["id"], new_hash)
        token = await start_session(work.session, signed_in["id"], session_lifetime)
    return SignInOutcome(signed_in, None, token)


async def sign_out(db: Database, token: str, user: Principal | None) -> None:
    """End this sign-in (signing out twice is harmless); audited when someone was signed in."""
    async with unit_of_work(db, user or ANONYMOUS) as work:
        await end_session(work.session, token)
        if user is not None:
            work.audit("account.signed_out", _account(user.id))


# -- API tokens -------------------------------------------------------------------------------
async def create_token(db: Database, actor: Principal | str, *, name: str, role: str) -> tuple[dict[str, Any], str]:
    """A new token for a program: its row and the token itself, shown this once only (so the
    answer is never stored for a retry: not idempotent)."""
    async with unit_of_work(db, actor, idempotent=False) as work:
        row, token = await tokens.create_token(work.session, name=name, role=role, actor=actor)
        work.audit("api_token.created", f"api_token:{row['id']}", name=row["name"], role=role)
        return row, token


async def revoke_token(db: Database, actor: Principal | str, token_id: str) -> dict[str, Any]:
    """Stop a token working, at once."""
    async with unit_of_work(db, actor) as work:
        row = await tokens.revoke_token(work.session, token_id)
        work.audit("api_token.revoked", f"api_token:{token_id}", name=row["name"])
        return row


# -- email ------------------------------------------------------------------------------------
async def unsubscribe(db: Database, to_hash: str, topic: str) -> None:
    """Stop one kind of email to one address (the link is the proof). Nobody's change to account
    for, like any the public makes: no audit entry."""
    async with unit_of_work(db, ANONYMOUS) as work:
        await mail.suppress(work.session, to_hash, topic)
