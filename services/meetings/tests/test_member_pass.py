"""Member passes: membership vouches that a browser belongs to a member, for this site, for a few
minutes, checked with membership's public key (fetched once, again if a pass is refused a while
later, in case membership's key changed); the registration form then carries this service's own
token, for this meeting only."""

from datetime import UTC, datetime, timedelta

import pytest

from forum_shared.identity import member_passes
from forum_shared.identity.links import LinkRefused
from meetings.service import member_pass

MEMBERSHIP = "https://membership.example"
SECRET = "membership's-own-secret-key-that-meetings-never-sees"
HERE = "https://meetings.example"


@pytest.fixture
def fetched(monkeypatch):
    """Membership's published key, as fetching it would give; a list of the fetches made."""
    served = {"key": member_passes.public_key_text(SECRET)}
    calls: list[str] = []

    async def fetch(url: str) -> str:
        calls.append(url)
        member_pass._keys[url] = (served["key"], 0.0)  # fetched long ago, as far as refetching goes
        return served["key"]

    monkeypatch.setattr(member_pass, "_fetch_key", fetch)
    yield served, calls
    member_pass.forget_keys()


async def test_a_pass_is_accepted_only_if_membership_made_it_for_this_site_and_it_has_not_expired(fetched):
    _, calls = fetched
    good = member_passes.issue(SECRET, "mem-1", HERE)
    assert await member_pass.member_id_from_pass(MEMBERSHIP + "/", good, HERE) == "mem-1"
    refusals = {
        "another site": member_passes.issue(SECRET, "mem-1", "https://feedback.example"),
        "expired": member_passes.issue(SECRET, "mem-1", HERE, now=datetime.now(UTC) - timedelta(minutes=11)),
        "could not be checked": member_passes.issue("someone else's secret key, not membership's", "mem-1", HERE),
    }
    for words, token in refusals.items():
        with pytest.raises(LinkRefused, match=words):
            await member_pass.member_id_from_pass(MEMBERSHIP, token, HERE)
    with pytest.raises(LinkRefused):
        await member_pass.member_id_from_pass(MEMBERSHIP, "not-a-pass", HERE)
    assert calls[0] == MEMBERSHIP, "the key is fetched from membership's base address"


async def test_a_new_key_at_membership_is_fetched_when_the_kept_one_refuses_a_pass(fetched):
    served, calls = fetched
    member_pass.use_key(MEMBERSHIP, served["key"])
    new_secret = "membership's-secret-key-after-it-was-rotated"
    served["key"] = member_passes.public_key_text(new_secret)
    token = member_passes.issue(new_secret, "mem-2", HERE)
    with pytest.raises(LinkRefused):  # the kept key is fresh: not fetched again yet
        await member_pass.member_id_from_pass(MEMBERSHIP, token, HERE)
    assert calls == []
    member_pass._keys[MEMBERSHIP] = (member_pass._keys[MEMBERSHIP][0], 0.0)  # kept a while now
    assert await member_pass.member_id_from_pass(MEMBERSHIP, token, HERE) == "mem-2"
    assert calls == [MEMBERSHIP]


def test_the_registration_form_token_is_for_one_meeting_for_a_while():
    secret = "the-meetings-service-secret-key-for-this-test"
    token = member_pass.registration_token(secret, "meeting-1", "mem-3")
    assert member_pass.member_id_from_form(secret, "meeting-1", token) == "mem-3"
    with pytest.raises(LinkRefused, match="another meeting"):
        member_pass.member_id_from_form(secret, "meeting-2", token)
    with pytest.raises(LinkRefused, match="expired"):
        member_pass.member_id_from_form(secret, "meeting-1", token, now=datetime.now(UTC) + timedelta(hours=3))
