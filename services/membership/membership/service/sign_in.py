"""Members sign in by a link emailed to them: no password and no member number to remember.

Asking for a link gives everyone the same answer, member or not, so it cannot be used to find out
who is a member; a member is sent at most a few links in a quarter of an hour, so nobody can flood
their inbox (further requests are silently ignored). A link works once, for 15 minutes, and only
its token's hash is kept. Following it shows a button: signing in is a POST, so a mail scanner
that fetches the link does not use it up. Signing in starts a sign-in of its own kind (members are
not staff accounts): a random token in a cookie, its hash in `member_sessions`, ended by signing
out or by erasure.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from forum_shared.audit import ANONYMOUS
from forum_shared.db import Database
from forum_shared.errors import ForumError
from forum_shared.identity.sessions import TOUCH_EVERY, token_hash
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.records import Member, SignInLink
from membership.service import emails
from membership.service.members import existing_member
from membership.store import member_queries, sign_in_queries

LINK_PATH = "/members/sign-in/"


class LinkRefused(ForumError):
    """The sign-in link cannot be used: not a link we sent (404), or used or expired (410)."""

    def __init__(self, message: str, status_code: int) -> None:
        super().__init__(message)
        self.status_code = status_code


@dataclass(frozen=True)
class SignedIn:
    """A member who has just signed in: the token for their cookie (kept nowhere else) and where
    they asked to go next, if anywhere."""

    member_id: str
    session_token: str
    next_url: str | None


def actor(member_id: str) -> str:
    """How the audit log names a member acting for themselves."""
    return f"member:{member_id}"


async def request_link(
    db: Database, email: str, next_url: str | None, sites: Iterable[str], *, now: datetime | None = None
) -> None:
    """Email a sign-in link to the member who uses this address, if there is one and they have
    not been sent too many lately; otherwise do nothing. Either way the caller answers the same.
    `next_url` is kept with the link if it is somewhere a member may be sent (`domain.safe_next`)."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, ANONYMOUS) as work:
        member_id = await member_queries.member_id_with_email(work.session, email.strip().lower())
        if member_id is None:
            return
        sent = await sign_in_queries.links_since(work.session, member_id, now - domain.SIGN_IN_LINK_WINDOW)
        if not domain.may_send_sign_in_link(sent):
            return
        token = secrets.token_urlsafe(32)
        expires_at = now + domain.SIGN_IN_LINK_LIFETIME
        await sign_in_queries.forget_old_links(work.session, now - timedelta(days=1))
        await sign_in_queries.add_link(
            work.session, token_hash(token), member_id, domain.safe_next(next_url, sites), now, expires_at
        )
        member = await existing_member(work.session, member_id)
        await emails.sign_in_link(work, member, LINK_PATH + token, expires_at)


async def check_link(db: Database, token: str, *, now: datetime | None = None) -> None:
    """Whether the link can still be used (`LinkRefused` if not); changes nothing."""
    async with db.read() as session:
        link = await sign_in_queries.get_link(session, token_hash(token))
    _refuse_unless_usable(link, now or datetime.now(UTC))


def _refuse_unless_usable(link: SignInLink | None, now: datetime) -> SignInLink:
    if link is None:
        raise LinkRefused(domain.LINK_UNKNOWN, 404)
    state = domain.sign_in_link_state(link.expires_at, link.used_at, now)
    if state != domain.LinkState.usable:
        raise LinkRefused(domain.LINK_REFUSALS[state], 410)
    return link


async def use_link(
    db: Database, token: str, lifetime: timedelta, *, now: datetime | None = None
) -> SignedIn:
    """Sign the member in with the link, which is then used up; `LinkRefused` if it cannot be used."""
    now = now or datetime.now(UTC)
    hashed = token_hash(token)
    async with unit_of_work(db, ANONYMOUS) as work:
        link = _refuse_unless_usable(await sign_in_queries.get_link(work.session, hashed), now)
        if not await sign_in_queries.use_link(work.session, hashed, now):  # used at the same moment
            raise LinkRefused(domain.LINK_REFUSALS[domain.LinkState.used], 410)
        session_token = secrets.token_urlsafe(32)
        await sign_in_queries.add_session(work.session, token_hash(session_token), link.member_id, now, now + lifetime)
        work.actor = actor(link.member_id)
        work.audit("member.signed_in", f"member:{link.member_id}")
        return SignedIn(link.member_id, session_token, link.next_url)


async def signed_in_member(db: Database, token: str, idle: timedelta, *, now: datetime | None = None) -> Member | None:
    """The member signed in with this cookie token, or None if it expired, idled out or was ended."""
    now = now or datetime.now(UTC)
    hashed = token_hash(token)
    async with db.read() as session:
        found = await sign_in_queries.get_session(session, hashed)
        if found is None or found.expires_at <= now or found.last_seen_at + idle <= now:
            return None
        member = await member_queries.get_member(session, found.member_id)
    if member is not None and now - found.last_seen_at >= TOUCH_EVERY:
        async with db.transaction() as session:
            await sign_in_queries.touch_session(session, hashed, now)
    return member


async def sign_out(db: Database, token: str) -> None:
    """End this sign-in (signing out twice is harmless)."""
    async with unit_of_work(db, ANONYMOUS) as work:
        member_id = await sign_in_queries.end_session(work.session, token_hash(token))
        if member_id is not None:
            work.actor = actor(member_id)
            work.audit("member.signed_out", f"member:{member_id}")
