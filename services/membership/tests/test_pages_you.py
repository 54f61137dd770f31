"""Members sign in by an emailed link and look after their own membership; other forum sites get
them back with a member pass. The whole service, over HTTP, as a browser would use it."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import update

from forum_shared import mail
from forum_shared.audit import list_audit
from forum_shared.identity import member_passes
from membership.store import member_sign_in_links

MEETINGS = "https://meetings.example.org"


async def join(svc, **details) -> dict:
    resp = await svc.staff.post("/members", json=details)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def link_for(svc, email: str) -> str:
    """The path of the newest sign-in link waiting to be emailed to `email`."""
    async with svc.db.read() as session:
        rows = await mail.unsent(session)
    [*_, row] = [r for r in rows if r["to_address"] == email and r["template"] == "sign_in_link"]
    return row["context"]["path"]


async def signed_in(svc, person, email: str, next: str | None = None):
    """A browser signed in as the member with `email`; and the answer to pressing the button."""
    browser = await person(svc)
    asked = await browser.post("/members/sign-in", {"email": email, **({"next": next} if next else {})})
    assert asked.status_code == 303, asked.text
    pressed = await browser.post(await link_for(svc, email), {})
    assert pressed.status_code == 303, pressed.text
    return browser, pressed


async def test_asking_for_a_link_answers_the_same_for_members_and_strangers_and_is_rate_limited(
    start_membership, person
):
    async with start_membership(public_form_rate_limit=3) as svc:
        await join(svc, display_name="Jo", email="jo@example.org")
        browser = await person(svc)
        form = await browser.get("/members/sign-in")
        assert form.status_code == 200 and 'for="email"' in form.text and "You do not need a password" in form.text

        member = await browser.post("/members/sign-in", {"email": "JO@example.org"})
        stranger = await browser.post("/members/sign-in", {"email": "stranger@example.org"})
        for answer in (member, stranger):
            assert (answer.status_code, answer.headers["location"]) == (303, "/members/check-your-email")
        page = await browser.get("/members/check-your-email")
        assert "If that email belongs to a member, we have sent a link" in page.text

        wrong = await browser.post("/members/sign-in", {"email": "not an email"})
        assert wrong.status_code == 422 and "There is a problem" in wrong.text
        assert 'href="#email"' in wrong.text and "correct format" in wrong.text

        limited = await browser.post("/members/sign-in", {"email": "jo@example.org"})
        assert limited.status_code == 429 and "Retry-After" in limited.headers
        assert (await link_for(svc, "jo@example.org")).startswith("/members/sign-in/")  # one link, to Jo


async def test_a_link_signs_in_once_and_not_after_it_expires(start_membership, person):
    async with start_membership() as svc:
        await join(svc, display_name="Jo", email="jo@example.org")
        browser = await person(svc)
        await browser.post("/members/sign-in", {"email": "jo@example.org"})
        link = await link_for(svc, "jo@example.org")

        for _ in range(2):  # a mail scanner fetching the link uses nothing up
            shown = await browser.get(link)
            assert shown.status_code == 200 and ">Sign in</button>" in shown.text
        pressed = await browser.post(link, {})
        assert (pressed.status_code, pressed.headers["location"]) == (303, "/your-membership")
        cookie = pressed.headers["set-cookie"]
        assert "forum_membership_member=" in cookie and "HttpOnly" in cookie and "samesite=lax" in cookie.lower()
        assert "Your membership" in (await browser.get("/your-membership")).text

        again = await (await person(svc)).post(link, {}, form_page="/members/sign-in")
        assert again.status_code == 410 and "already been used" in again.text
        assert 'href="/members/sign-in"' in again.text and "Ask for a new link" in again.text

        await browser.post("/members/sign-in", {"email": "jo@example.org"}, form_page="/join")
        late = await link_for(svc, "jo@example.org")
        async with svc.db.transaction() as session:
            past = datetime.now(UTC) - timedelta(seconds=1)
            await session.execute(update(member_sign_in_links).values(expires_at=past))
        expired = await browser.get(late)
        assert expired.status_code == 410 and "has expired" in expired.text and "Ask for a new link" in expired.text
        assert (await browser.get("/members/sign-in/made-up")).status_code == 404


async def test_a_signed_in_member_looks_after_their_own_membership_only(start_membership, person):
    async with start_membership() as svc:
        jo = await join(svc, display_name="Jo Bloggs", email="jo@example.org",
                        consents=[{"purpose": "forum_news", "given": True}])
        kim = await join(svc, display_name="Kim", email="kim@example.org")
        role = (await svc.staff.post("/roles", json={"title": "Easy read reviewer", "description": "Reads.",
                                                     "hours_per_month": 2, "paid": False})).json()
        for who, hours in ((jo, 1.5), (kim, 2.75)):
            entry = {"kind": "travel", "worked_on": "2026-11-02", "hours": hours,
                     "note": f"Trip for {who['display_name']}"}
            assert (await svc.staff.post(f"/members/{who['id']}/involvement", json=entry)).status_code == 201

        public = await person(svc)
        away = await public.get("/your-membership")
        assert (away.status_code, away.headers["location"]) == (303, "/members/sign-in?next=/your-membership")

        browser, _ = await signed_in(svc, person, "jo@example.org")
        mine = await browser.get("/your-membership")
        assert "Jo Bloggs" in mine.text and "1.50" in mine.text and "November 2026" in mine.text
        assert "Kim" not in mine.text and "2.75" not in mine.text
        statement = await browser.get("/your-membership/statements/2026-11")
        assert "Your time given in November 2026" in statement.text and "Trip for Jo Bloggs" in statement.text
        assert "Trip for Kim" not in statement.text

        changed = await browser.post("/your-membership/details", {
            "display_name": "Jo B", "email": "jo@example.org", "phone": "01733 123456", "preferred_channel": "phone",
            "consents": ["involvement_opportunities"],
        })
        assert (changed.status_code, changed.headers["location"]) == (303, "/your-membership")
        clash = await browser.post("/your-membership/details", {"display_name": "Jo B", "email": "kim@example.org"})
        assert clash.status_code == 409 and 'href="#email"' in clash.text
        now = (await svc.staff.get(f"/members/{jo['id']}")).json()
        assert (now["display_name"], now["phone"], now["email"]) == ("Jo B", "01733 123456", "jo@example.org")
        assert {c["purpose"]: c["given"] for c in now["consents"]} == {
            "forum_news": False, "involvement_opportunities": True
        }

        wanted = {"role_id": role["id"], "note": "I like plain words."}
        interested = await browser.post("/your-membership/roles", wanted)
        assert interested.status_code == 303
        [noted] = (await svc.staff.get(f"/roles/{role['id']}/interests")).json()
        assert (noted["member_id"], noted["note"]) == (jo["id"], "I like plain words.")
        async with svc.db.read() as session:
            entries, _ = await list_audit(session, limit=50)
        by_member = {(e["action"], e["target"]) for e in entries if e["actor"] == f"member:{jo['id']}"}
        assert {("member.signed_in", f"member:{jo['id']}"), ("member.updated", f"member:{jo['id']}"),
                ("interest.noted", f"interest:{noted['id']}")} <= by_member

        out = await browser.post("/members/sign-out", {}, form_page="/your-membership")
        assert out.headers["location"] == "/members/sign-in"
        assert (await browser.get("/your-membership")).status_code == 303


async def test_a_member_leaves_then_has_their_details_erased(start_membership, person):
    async with start_membership() as svc:
        jo = await join(svc, display_name="Jo", email="jo@example.org")
        browser, _ = await signed_in(svc, person, "jo@example.org")
        assert "involvement roles you hold end today" in (await browser.get("/your-membership/leave")).text
        left = await browser.post("/your-membership/leave", {})
        assert left.headers["location"] == "/your-membership"
        assert (await svc.staff.get(f"/members/{jo['id']}")).json()["status"] == "left"

        confirm = await browser.get("/your-membership/erase")
        assert "This cannot be undone" in confirm.text and "Erase my details" in confirm.text
        erased = await browser.post("/your-membership/erase", {})
        assert erased.headers["location"] == "/" and "forum_membership_member=" in erased.headers["set-cookie"]
        assert (await svc.staff.get(f"/members/{jo['id']}")).status_code == 404
        assert (await browser.get("/your-membership")).status_code == 303  # signed out with everything else
        async with svc.db.read() as session:
            waiting = await mail.unsent(session)
        assert [(m["to_address"], m["template"]) for m in waiting] == [("jo@example.org", "erased")]


async def test_member_passes_are_given_only_for_the_forums_own_sites(start_membership, person):
    async with start_membership(forum_sites={"meetings": MEETINGS}) as svc:
        jo = await join(svc, display_name="Jo", email="jo@example.org")
        key = (await svc.client.get("/.well-known/member-pass-key")).json()["key"]
        register = f"{MEETINGS}/meetings/7/register?seat=1"

        browser = await person(svc)
        form = await browser.get("/members/sign-in", params={"next": register})
        assert 'name="next"' in form.text
        asked = await browser.post("/members/sign-in", {"email": "jo@example.org", "next": register},
                                   form_page=f"/members/sign-in?next={register}")
        assert asked.status_code == 303
        back = (await browser.post(await link_for(svc, "jo@example.org"), {})).headers["location"]
        assert back.startswith(f"{register}&pass=")
        assert member_passes.verify(key, back.partition("&pass=")[2], MEETINGS) == jo["id"]

        # Already signed in: straight back with a new pass; anywhere else is never given one.
        again = await browser.get("/members/sign-in", params={"next": f"{MEETINGS}/upcoming-meetings"})
        assert again.status_code == 303 and again.headers["location"].startswith(f"{MEETINGS}/upcoming-meetings?pass=")
        for elsewhere in ("https://evil.example/", "//evil.example/", f"{MEETINGS}.evil.example/", "http://meetings.example.org/"):
            refused = await browser.get("/members/sign-in", params={"next": elsewhere})
            assert (refused.status_code, refused.headers["location"]) == (303, "/your-membership"), elsewhere
