"""Members sign in by an emailed link: the use cases called directly on SQLite, with the time given."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from forum_shared import mail
from forum_shared.identity.sessions import token_hash
from membership.service import sign_in
from membership.store import member_sign_in_links

NOW = datetime(2027, 3, 2, 14, 0, tzinfo=UTC)
SITES = ["https://meetings.example.org"]
HOURS = timedelta(hours=8)


async def links_sent(db) -> list[str]:
    """The tokens of the sign-in links waiting to be emailed, oldest first."""
    async with db.read() as session:
        rows = await mail.unsent(session)
    return [r["context"]["path"].removeprefix("/members/sign-in/") for r in rows if r["template"] == "sign_in_link"]


async def test_a_link_is_emailed_only_to_a_member_and_at_most_three_times_in_a_quarter_of_an_hour(db, member):
    jo = await member("Jo", email="jo@example.org")
    await sign_in.request_link(db, "nobody@example.org", None, SITES, now=NOW)
    assert await links_sent(db) == []
    for minute in range(4):
        await sign_in.request_link(db, " JO@example.org", None, SITES, now=NOW + timedelta(minutes=minute))
    assert len(await links_sent(db)) == 3  # the fourth is silently not sent
    await sign_in.request_link(db, "jo@example.org", None, SITES, now=NOW + timedelta(minutes=15, seconds=1))
    tokens = await links_sent(db)
    assert len(tokens) == 4

    async with db.read() as session:
        rows = (await session.execute(select(member_sign_in_links))).all()
        row = (await mail.unsent(session, about=f"member:{jo.id}"))[1]  # after the welcome
    assert {r.token_hash for r in rows} == {token_hash(t) for t in tokens}  # only hashes are kept
    assert not any(t in str(rows) for t in tokens)
    assert (row["to_address"], row["topic"], row["subject"]) == (
        "jo@example.org", None, "Your link to sign in to the Partnership Forum"
    )
    assert row["context"]["expires_at"] == (NOW + timedelta(minutes=15)).isoformat()


async def test_a_link_signs_in_once_only_and_not_once_expired(db, member, audited):
    jo = await member("Jo", email="jo@example.org")
    await sign_in.request_link(db, "jo@example.org", "https://meetings.example.org/meetings/7", SITES, now=NOW)
    await sign_in.request_link(db, "jo@example.org", "https://evil.example/", SITES, now=NOW)
    first, second = await links_sent(db)

    await sign_in.check_link(db, first, now=NOW)  # looking changes nothing
    signed = await sign_in.use_link(db, first, HOURS, now=NOW + timedelta(minutes=1))
    assert (signed.member_id, signed.next_url) == (jo.id, "https://meetings.example.org/meetings/7")
    with pytest.raises(sign_in.LinkRefused, match="already been used") as used:
        await sign_in.use_link(db, first, HOURS, now=NOW + timedelta(minutes=2))
    assert used.value.status_code == 410
    with pytest.raises(sign_in.LinkRefused, match="expired") as expired:
        await sign_in.check_link(db, second, now=NOW + timedelta(minutes=15))
    assert expired.value.status_code == 410
    with pytest.raises(sign_in.LinkRefused, match="not valid") as unknown:
        await sign_in.use_link(db, "made-up", HOURS)
    assert unknown.value.status_code == 404
    # Somewhere other than this site or the forum's own is never kept.
    assert (await sign_in.use_link(db, second, HOURS, now=NOW)).next_url is None

    token, day = signed.session_token, timedelta(days=1)
    assert (await sign_in.signed_in_member(db, token, day, now=NOW + timedelta(minutes=2))).id == jo.id
    assert await sign_in.signed_in_member(db, token, timedelta(minutes=30), now=NOW + timedelta(minutes=40)) is None
    assert await sign_in.signed_in_member(db, token, day, now=NOW + timedelta(hours=9)) is None  # its 8 hours are up
    await sign_in.sign_out(db, token)
    assert await sign_in.signed_in_member(db, token, day, now=NOW + timedelta(minutes=3)) is None
    assert [(actor, action) for actor, action, _, _ in await audited(db)] == [
        (f"member:{jo.id}", "member.signed_in"),
        (f"member:{jo.id}", "member.signed_in"),
        (f"member:{jo.id}", "member.signed_out"),
    ]
