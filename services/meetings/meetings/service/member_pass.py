"""Members register for a meeting without typing an id: they sign in at membership, which sends
the browser back here with a pass (`forum_shared.identity.member_passes`) saying which member it
is, for this site, for a few minutes. The pass is checked with membership's public key, fetched
from `<membership>/.well-known/member-pass-key` and kept for the life of the process; a pass the
kept key refuses makes it fetched again (at most once a minute), in case membership's key changed.

Once checked, the member's registration form carries this service's own signed token instead of
the pass (`registration_token`), so that someone slow to fill it in is not sent to sign in again.
"""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

import httpx

from forum_shared.errors import ForumError
from forum_shared.identity import links, member_passes
from forum_shared.identity.links import LinkRefused
from forum_shared.logs import get_logger

log = get_logger("meetings.member_pass")

KEY_PATH = "/.well-known/member-pass-key"
REFETCH_AFTER_SECONDS = 60.0
FETCH_TIMEOUT_SECONDS = 5.0
# How long a member has to fill in the registration form once their pass was checked.
FORM_LIFETIME = timedelta(hours=2)
FORM_PURPOSE = "member-registration"

# membership's base URL -> (its public key, when it was fetched: time.monotonic())
_keys: dict[str, tuple[str, float]] = {}


class MembershipUnreachable(ForumError):
    status_code = 503

    def __init__(self) -> None:
        super().__init__(
            "We could not check your sign-in with the membership service just now. Please try again in a few minutes."
        )


def use_key(membership_url: str, key: str) -> None:
    """Use `key` for passes from `membership_url` from now on, without fetching it (tests)."""
    _keys[membership_url.rstrip("/")] = (key, time.monotonic())


def forget_keys() -> None:
    _keys.clear()


async def _fetch_key(membership_url: str) -> str:
    try:
        async with httpx.AsyncClient(timeout=FETCH_TIMEOUT_SECONDS) as client:
            response = await client.get(membership_url + KEY_PATH, headers={"accept": "application/json"})
            response.raise_for_status()
            key = response.json()["key"]
    except (httpx.HTTPError, ValueError, KeyError, TypeError) as exc:
        log.warning("membership's member-pass key could not be fetched", error=type(exc).__name__)
        raise MembershipUnreachable() from exc
    if not isinstance(key, str) or not key:
        raise MembershipUnreachable()
    _keys[membership_url] = (key, time.monotonic())
    return key


async def member_id_from_pass(membership_url: str, token: str, audience: str, now: datetime | None = None) -> str:
    """The member a pass from membership (at `membership_url`) vouches for, if it was made for
    `audience` (this site's origin) and has not expired; `LinkRefused` if not,
    `MembershipUnreachable` if membership's key cannot be had."""
    membership_url = membership_url.rstrip("/")
    kept = _keys.get(membership_url)
    key = kept[0] if kept else await _fetch_key(membership_url)
    try:
        return member_passes.verify(key, token, audience, now)
    except LinkRefused:
        if kept is None or time.monotonic() - kept[1] < REFETCH_AFTER_SECONDS:
            raise
    # Refused with a key kept a while: membership may have a new one.
    return member_passes.verify(await _fetch_key(membership_url), token, audience, now)


def registration_token(secret: str, meeting_id: str, member_id: str, now: datetime | None = None) -> str:
    """What the member's registration form carries once their pass was checked."""
    expires = (now or datetime.now(UTC)) + FORM_LIFETIME
    return links.sign(secret, FORM_PURPOSE, json.dumps([meeting_id, member_id]), expires)


def member_id_from_form(secret: str, meeting_id: str, token: str, now: datetime | None = None) -> str:
    """The member a registration form was shown to, for this meeting; `LinkRefused` if it was not
    made here, is for another meeting, or has expired."""
    for_meeting, member_id = json.loads(links.read(secret, FORM_PURPOSE, token, now))
    if for_meeting != meeting_id:
        raise LinkRefused("This form was for another meeting. Please start again from the meeting's page.")
    return str(member_id)
