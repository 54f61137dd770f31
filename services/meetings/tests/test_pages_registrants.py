"""People who registered, over HTTP: the link in their email lets them change what would help
them take part and cancel, without signing in (and refuses a link that was changed or has
expired); a member signs in at membership and comes back with a pass instead of typing an id."""

import re
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

from forum_shared import mail
from forum_shared.identity import links, member_passes
from forum_shared.testing import BROWSER, csrf_from
from meetings.service import member_pass
from meetings.service.emails import MANAGE_PURPOSE

MEMBERSHIP = "https://membership.example"
MEMBERSHIP_SECRET = "membership's-own-secret-key-that-meetings-never-sees"


async def emailed_link(mt, address: str) -> str:
    """The path of the manage link in the newest email waiting to go to `address`, as sent."""
    async with mt.db.read() as session:
        rows = [row for row in await mail.unsent(session) if row["to_address"] == address]
    text = mt.kit.mail.compose(rows[-1]).get_body(("plain",)).get_content()
    [path] = re.findall(r"https?://[^/\s]+(/registrations/manage/\S+)", text)
    return path


async def test_a_registrant_changes_what_would_help_and_cancels_through_the_link_in_their_email(
    start_meetings, meeting_at, browser_for
):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5, capacity=1, title="Forum in March"))).json()
        public = await browser_for(mt)
        register = f"/upcoming-meetings/{meeting['id']}/register"
        assert "Sign in as a member" not in (await public.get(register)).text, "no membership site to sign in at"
        assert (await public.get(register + "/member")).status_code == 404
        for name, email in (("Ann Example", "ann@example.org"), ("Bo Example", "bo@example.org")):
            assert (await public.submit(register, {"name": name, "contact_email": email})).status_code == 303

        manage = await emailed_link(mt, "ann@example.org")
        page = await public.get(manage)
        assert page.status_code == 200
        assert "Your registration" in page.text and "Forum in March" in page.text and "You have a place" in page.text
        changed = await public.submit(manage, {"access_needs": ["quiet_space"], "access_notes": "A seat by the door"})
        assert changed.status_code == 303 and changed.headers["location"] == manage
        page = await public.get(manage)
        assert "Changes saved" in page.text and "A seat by the door" in page.text
        assert re.search(r'value="quiet_space" checked', page.text)

        assert "Are you sure" in (await public.get(manage + "/cancel")).text
        cancelled = await public.submit(manage + "/cancel", {})
        assert cancelled.status_code == 303
        page = await public.get(manage)
        assert "Registration cancelled" in page.text and "Save changes" not in page.text
        listed = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        by_name = {r["name"]: r for r in listed["registrations"]}
        ann = by_name["Ann Example"]
        assert (ann["status"], ann["access_needs"], ann["access_notes"]) == (
            "cancelled", ["quiet_space"], "A seat by the door")
        assert by_name["Bo Example"]["status"] == "registered", "the freed place went to the next in line"

        secret = mt.kit.settings.secret_key.get_secret_value()
        expired = links.sign(secret, MANAGE_PURPOSE, ann["id"], datetime.now(UTC) - timedelta(minutes=1))
        other_purpose = links.sign(secret, "something-else", ann["id"], datetime.now(UTC) + timedelta(days=1))
        for token, words in [
            (manage.rsplit("/", 1)[1][:-2] + "xx", "not valid"),
            (expired, "expired"),
            (other_purpose, "not valid"),
            (quote("nöt-a-token"), "not valid"),
        ]:
            refused = await public.get(f"/registrations/manage/{token}")
            assert refused.status_code == 403 and words in refused.text, token
            assert (await public.submit(f"/registrations/manage/{token}/cancel", {},
                                        form_page=register)).status_code == 403


async def test_a_member_signs_in_at_membership_and_registers_with_an_email_for_their_confirmation(
    start_meetings, meeting_at, browser_for
):
    member_pass.use_key(MEMBERSHIP, member_passes.public_key_text(MEMBERSHIP_SECRET))
    try:
        async with start_meetings(forum_sites={"membership": MEMBERSHIP}) as mt:
            meeting = (await mt.staff.post("/meetings", json=meeting_at(days=5))).json()
            public = await browser_for(mt)
            back = f"/upcoming-meetings/{meeting['id']}/register/member"
            sign_in = f"{MEMBERSHIP}/members/sign-in?next={quote('http://test' + back, safe='')}"
            assert f'href="{sign_in}"' in (await public.get(f"/upcoming-meetings/{meeting['id']}/register")).text
            unsigned = await public.get(back)
            assert unsigned.status_code == 303 and unsigned.headers["location"] == sign_in

            elsewhere = member_passes.issue(MEMBERSHIP_SECRET, "mem-7", "https://feedback.example")
            refused = await public.get(back, params={"pass": elsewhere})
            assert refused.status_code == 403 and "another site" in refused.text
            assert f'href="{sign_in}"' in refused.text, "they can sign in again"

            for_here = member_passes.issue(MEMBERSHIP_SECRET, "mem-7", "http://test")
            page = await public.get(back, params={"pass": for_here})
            assert page.status_code == 200 and "Register to attend as a member" in page.text
            member_token = re.search(r'name="member_token" value="([^"]+)"', page.text).group(1)
            body = {"csrf_token": csrf_from(page.text), "member_token": member_token,
                    "contact_email": "mem7@example.org", "access_needs": ["large_print"]}
            done = await public.client.post(back, data=body, headers=BROWSER)
            assert done.status_code == 303 and "/registered/" in done.headers["location"]
            again = await public.client.post(back, data=body, headers=BROWSER)
            assert again.status_code == 422 and "already registered" in again.text

            [mine] = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()["registrations"]
            assert (mine["member_id"], mine["name"], mine["contact_email"], mine["access_needs"]) == (
                "mem-7", None, "mem7@example.org", ["large_print"])
            async with mt.db.read() as session:
                [confirmation] = await mail.unsent(session, f"registration:{mine['id']}")
            assert confirmation["template"] == "registration_confirmed"

            forged = {**body, "member_token": member_token[:-2] + "xx"}
            assert (await public.client.post(back, data=forged, headers=BROWSER)).status_code == 403
    finally:
        member_pass.forget_keys()
