"""The forum as people use it, in a real browser across all four services, over a real nats-server.

A member of the public joins, finds a meeting and adds it to their calendar, gives anonymous
feedback and finds a group by postcode district. A staff member signs in to the feedback service,
triages that feedback and escalates it; a governor, signed in with the escalations page already
open, sees it appear without reloading and acknowledges it. Every page is checked for
accessibility and saved as a screenshot.
"""

import contextlib
import re
from datetime import UTC, datetime, timedelta

from forum_shared.local import free_port
from forum_shared.testing import wait_for

from ..services import NAMES, start

GROUP = "Wisbech Wellbeing Café"
FEEDBACK = "Nobody rang me back after I was discharged from the crisis team."


async def _forum(stack, nats_server, database_url, mail_server=None):
    """The four services on their own ports, each linking to the others as `forum up` sets them
    (and sending email to `mail_server`, if given)."""
    ports = {name: free_port("127.0.0.1") for name in NAMES}
    sites = {name: f"http://127.0.0.1:{port}" for name, port in ports.items()}

    def mail(name: str) -> dict:
        if mail_server is None:
            return {}
        return {"mail_url": mail_server.url, "mail_folder": mail_server.folder, "public_url": sites[name]}

    services = {
        name: await stack.enter_async_context(
            await start(name, nats_server, database_url, forum_sites=sites, **mail(name))
        )
        for name in NAMES
    }
    urls = {name: await stack.enter_async_context(svc.serve_http(ports[name])) for name, svc in services.items()}
    return services, urls


async def test_the_public_staff_and_governors_use_the_forum_in_a_browser(nats_server, database_url, people):
    async with contextlib.AsyncExitStack() as stack:
        svc, url = await _forum(stack, nats_server, database_url)
        # What staff set up beforehand, through the services' APIs.
        group = await svc["signposting"].staff.post(
            "/community-groups", json={"name": GROUP, "areas": ["Fenland", "PE13"]}
        )
        assert group.status_code == 201, group.text
        starts = (datetime.now(UTC) + timedelta(days=9)).replace(hour=13, minute=30, second=0, microsecond=0)
        meeting = await svc["meetings"].staff.post("/meetings", json={
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "venue": "Wisbech Library", "area": "Fenland"})
        assert meeting.status_code == 201, meeting.text
        await svc["feedback"].add_account("sam@trust.example", "staff", name="Sam Okafor")
        await svc["feedback"].add_account("gita@trust.example", "governor", name="Gita Holt")

        # A member of the public joins …
        public = await people.new("public")
        await public.goto(url["membership"] + "/")
        await people.check(public, "membership start")
        await public.get_by_role("link", name="Join the forum").first.click()
        await people.check(public, "join form")
        await public.get_by_role("button", name="Join the forum").click()
        assert "Enter a name" in await public.inner_text(".forum-error-summary")
        await people.check(public, "join form with an error")
        await public.get_by_label("Your name").fill("Robin")
        await public.get_by_role("button", name="Join the forum").click()
        await public.wait_for_url(re.compile(r"/join/done"))
        await people.check(public, "joined")

        # … finds the meeting (following the header's link to the meetings service) and adds it to
        # their calendar …
        others = public.get_by_role("navigation", name="The forum's other services")
        await others.get_by_role("link", name="Meetings and pop-up forums").click()
        await public.wait_for_url(url["meetings"] + "/")
        await public.goto(url["meetings"] + "/upcoming-meetings")
        await people.check(public, "upcoming meetings")
        await public.locator("main").get_by_role("link", name=re.compile("Partnership Forum")).first.click()
        await people.check(public, "a meeting")
        async with public.expect_download() as download_info:
            await public.get_by_role("link", name=re.compile("Add to calendar")).first.click()
        download = await download_info.value
        calendar = (await download.path()).read_text()
        assert "BEGIN:VEVENT" in calendar and "Wisbech Library" in calendar

        # … gives feedback without giving their name …
        await public.get_by_role("link", name="Give feedback").last.click()
        await public.wait_for_url(url["feedback"] + "/")
        await public.goto(url["feedback"] + "/give-feedback")
        await people.check(public, "give feedback")
        await public.get_by_label("What would you like to tell us?").fill(FEEDBACK)
        await public.get_by_role("button", name="Send feedback").click()
        await public.wait_for_url(re.compile(r"/give-feedback/sent"))
        await people.check(public, "feedback sent")
        reference = (await public.inner_text(".forum-inset-text strong")).strip()

        # … and finds a local group by postcode district.
        await public.get_by_role("link", name="Find a local group").last.click()
        await public.wait_for_url(url["signposting"] + "/")
        await public.goto(url["signposting"] + "/find-a-group")
        await people.check(public, "find a group")
        await public.get_by_label("Where do you live?").fill("PE13")
        await public.get_by_role("button", name="Search").click()
        assert GROUP in await public.inner_text("main")
        await people.check(public, "groups found")

        # A governor signs in to the feedback service and keeps the escalations page open.
        governor = await people.new("governor")
        await people.sign_in(governor, url["feedback"], "gita@trust.example")
        await governor.goto(url["feedback"] + "/governors/escalations")
        await people.check(governor, "open escalations, none yet")
        assert "There are no open escalations" in await governor.inner_text("main")

        # A staff member signs in, triages the feedback and escalates it.
        staff = await people.new("staff")
        await people.sign_in(staff, url["feedback"], "sam@trust.example")
        await staff.goto(url["feedback"] + "/staff/feedback")
        await people.check(staff, "feedback to triage")
        await staff.get_by_role("link", name=FEEDBACK).click()
        assert reference in await staff.inner_text("h1")
        await people.check(staff, "a piece of feedback")
        await staff.get_by_role("button", name="Save triage").click()
        assert "Choose themes from the list" in await staff.inner_text(".forum-error-summary")
        await people.check(staff, "triage with an error")
        await staff.get_by_label("Discharge and follow-up").check()
        await staff.get_by_label("Area").select_option(label="Fenland")
        await staff.get_by_label("A concern").check()
        await staff.get_by_role("button", name="Save triage").click()
        assert await staff.locator(".forum-error-summary").count() == 0
        assert "Triaged" in await staff.inner_text("main")
        await people.check(staff, "triaged")
        await staff.get_by_role("link", name="Escalate to governors").click()
        await people.check(staff, "escalate")
        await staff.get_by_label("Summary for the public agenda").fill("No follow-up after crisis team discharge")
        await staff.get_by_label("Notes for governors only").fill("People are left without support.")
        await staff.get_by_role("button", name="Escalate").click()
        await people.check(staff, "escalated")

        # The governor's page shows it without a reload (server-sent events), and they acknowledge it.
        row = governor.get_by_text("No follow-up after crisis team discharge")
        await row.first.wait_for(timeout=20_000)
        assert "There are no open escalations" not in await governor.inner_text("main")
        await people.check(governor, "a new escalation arrived live")
        await governor.get_by_role("link", name=re.compile("No follow-up after crisis team discharge")).first.click()
        await people.check(governor, "an escalation")
        await governor.get_by_role("button", name="Acknowledge").click()
        await people.check(governor, "acknowledged")
        escalations = (await svc["feedback"].governor.get("/escalations")).json()
        [escalation] = [e for e in escalations if e["summary"] == "No follow-up after crisis team discharge"]
        assert escalation["acknowledged_at"] or escalation.get("acknowledgements"), escalation

        # It reaches the meetings service by event and goes on the next meeting's agenda.
        async def on_an_agenda():
            waiting = (await svc["meetings"].staff.get("/agenda/waiting")).json()
            agenda = (await svc["meetings"].staff.get(f"/meetings/{meeting.json()['id']}")).json()["agenda"]
            return [i for i in [*waiting, *agenda] if i.get("escalation_id") == escalation["id"]]

        await wait_for(on_an_agenda, timeout=20, what="the escalation on a meeting's agenda")


async def test_a_member_signs_in_by_an_emailed_link_and_registers_for_a_meeting_without_an_id(
    nats_server, database_url, people, mail_server
):
    async with contextlib.AsyncExitStack() as stack:
        svc, url = await _forum(stack, nats_server, database_url, mail_server)
        member = await svc["membership"].staff.post(
            "/members", json={"display_name": "Jo Example", "email": "jo@example.org", "area": "PE13"}
        )
        assert member.status_code == 201, member.text
        starts = (datetime.now(UTC) + timedelta(days=12)).replace(hour=13, minute=0, second=0, microsecond=0)
        meeting = (await svc["meetings"].staff.post("/meetings", json={
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "venue": "March Library", "area": "Fenland"})).json()

        page = await people.new("public")
        await page.goto(f"{url['meetings']}/upcoming-meetings/{meeting['id']}/register")
        await page.get_by_role("link", name="Sign in as a member").click()
        await page.wait_for_url(f"{url['membership']}/members/sign-in?**")
        await people.check(page, "member sign-in")
        await page.get_by_label("Email address").fill("jo@example.org")
        await page.get_by_role("button", name="Email me a link").click()
        await people.check(page, "check your email")

        email = await mail_server.wait_for(to="jo@example.org", subject="sign in")
        link = re.search(r"http://\S+/members/sign-in/\S+", email.get_body(("plain",)).get_content()).group(0)
        await page.goto(link)
        await people.check(page, "sign in from the link")
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_url(f"{url['meetings']}/upcoming-meetings/{meeting['id']}/register/member?**")
        await people.check(page, "register as a member")
        await page.get_by_label("Email address for your confirmation (optional)").fill("jo@example.org")
        await page.get_by_role("button", name="Register").click()
        assert "You are registered" in await page.inner_text("h1")
        registrations = (await svc["meetings"].staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert [r["member_id"] for r in registrations["registrations"]] == [member.json()["id"]]
        await mail_server.wait_for(to="jo@example.org", subject="You have a place")

        # The link was used once: it does not sign anyone in again.
        again = await people.new("public")
        await again.goto(link)
        assert "used" in (await again.inner_text("main")).lower()
        await people.check(again, "a used sign-in link")

        await page.goto(url["membership"] + "/your-membership")
        assert "Jo Example" in await page.inner_text("main")
        await people.check(page, "your membership")
