"""The meetings pages in a real browser: a member of the public finds a meeting, adds it to a
calendar and registers; staff run meetings and pop-up forums. Every page gets an accessibility
check and a screenshot."""

import re
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from forum_shared.events import CommunityGroupRegistered, InvolvementRoleAssigned
from forum_shared.testing import wait_for


@pytest.fixture
def backend():
    return "sqlite"


def local(days: float, hour: int = 18) -> str:
    day = (datetime.now(UTC) + timedelta(days=days)).date()
    return f"{day.isoformat()}T{hour:02d}:00"


async def test_a_member_of_the_public_finds_a_meeting_adds_it_to_a_calendar_and_registers(
    start_meetings, meeting_at, people
):
    async with start_meetings() as mt, mt.serve_http() as url:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(
            days=6, title="Partnership Forum – Ely", venue="Ely Library", address="6 Market Street, Ely",
            area="East Cambridgeshire", capacity=1, access_services=["hearing_loop", "step_free_access"],
        ))).json()
        page = await people.new("public")
        await page.goto(url + "/")
        await people.check(page, "start page")
        await page.get_by_role("button", name="See upcoming meetings").click()
        await people.check(page, "upcoming meetings")
        await page.get_by_role("link", name="Partnership Forum – Ely").click()
        assert "Partnership Forum – Ely" in await page.inner_text("h1")
        await people.check(page, "meeting")

        async with page.expect_download() as download:
            await page.get_by_role("link", name="Add to calendar").click()
        assert (await download.value).suggested_filename == f"partnership-forum-{meeting['id']}.ics"

        await page.get_by_role("button", name="Register to attend").click()
        await people.check(page, "register")
        await page.get_by_role("button", name="Register").click()
        assert "Enter your name" in await page.inner_text(".forum-error-summary")
        await people.check(page, "register with an error")
        await page.get_by_label("Your name").fill("Ann Example")
        await page.get_by_label("Step-free access").check()
        await page.get_by_role("button", name="Register").click()
        assert "You are registered" in await page.inner_text("h1")
        await people.check(page, "registered")

        other = await people.new("public")
        await other.goto(f"{url}/upcoming-meetings/{meeting['id']}/register")
        await other.get_by_label("Your name").fill("Bo Example")
        await other.get_by_role("button", name="Register").click()
        assert "waiting list" in await other.inner_text("h1")
        await people.check(other, "on the waiting list")


async def test_a_registrant_reads_the_confirmation_in_the_development_mail_and_cancels_through_its_link(
    start_meetings, meeting_at, people, mail_server
):
    from forum_shared.local import free_port

    port = free_port()
    async with (
        start_meetings(mail_url=mail_server.url, mail_folder=mail_server.folder,
                       public_url=f"http://127.0.0.1:{port}") as mt,
        mt.serve_http(port) as url,
    ):
        meeting = (await mt.staff.post("/meetings", json=meeting_at(
            days=9, title="Partnership Forum – March", venue="Ely Library", area="East Cambridgeshire", capacity=1,
        ))).json()
        page = await people.new("public")
        await page.goto(f"{url}/upcoming-meetings/{meeting['id']}/register")
        await page.get_by_label("Your name").fill("Cai Example")
        await page.get_by_label("Email address (optional)").fill("cai@example.org")
        await page.get_by_role("button", name="Register").click()
        assert "You are registered" in await page.inner_text("h1")

        email = await mail_server.wait_for(to="cai@example.org")
        assert [a.get_filename() for a in email.iter_attachments()] == ["meeting.ics"]
        await page.goto(url + "/dev/mail")
        await people.check(page, "development mail")
        await page.get_by_role("link", name=str(email["Subject"])).click()
        await people.check(page, "an email in the development mail")
        await page.locator("a[href*='/registrations/manage/']").click()
        assert "Your registration" in await page.inner_text("h1")
        await people.check(page, "manage a registration")
        await page.get_by_label("Hearing loop").check()
        await page.get_by_role("button", name="Save changes").click()
        assert "hearing_loop" in (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).text
        await page.get_by_role("button", name="Cancel your registration").click()
        await people.check(page, "cancel a registration")
        await page.get_by_role("button", name="Yes, cancel my registration").click()
        await people.check(page, "registration cancelled")
        registrations = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert [r["status"] for r in registrations["registrations"]] == ["cancelled"]
        cancelled = await mail_server.wait_for(to="cai@example.org", subject="cancel")
        assert "METHOD:CANCEL" in next(cancelled.iter_attachments()).get_content()


async def test_staff_run_a_meeting_from_scheduling_to_minutes(start_meetings, meeting_at, people):
    async with start_meetings() as mt, mt.serve_http() as url:
        await mt.add_account("sam.staff@example.org", "staff", name="Sam Staff")
        page = await people.new("staff")
        await people.sign_in(page, url, "sam.staff@example.org")
        await page.goto(url + "/")
        assert "For staff" in await page.inner_text("main")

        await page.get_by_role("link", name="Meetings", exact=True).click()
        await people.check(page, "meetings")
        await page.get_by_role("button", name="Schedule a meeting").click()
        await page.get_by_role("button", name="Schedule meeting").click()
        assert "Enter the start date and time" in await page.inner_text(".forum-error-summary")
        await people.check(page, "schedule with errors")
        await page.get_by_label("Title").fill("Partnership Forum – Wisbech")
        await page.get_by_label("Starts").fill(local(8, 14))
        await page.get_by_label("Ends").fill(local(8, 16))
        await page.get_by_label("Venue", exact=True).fill("Wisbech Boathouse")
        await page.get_by_label("Area of the county").select_option("Fenland")
        await page.get_by_label("Yes, show it to the public").check()
        await page.get_by_label("Number of places").fill("30")
        await page.get_by_label("Hearing loop").check()
        await page.get_by_role("button", name="Schedule meeting").click()
        assert "Meeting scheduled" in await page.inner_text(".forum-notification")
        await people.check(page, "meeting for staff")
        meeting_page = page.url

        await page.get_by_role("link", name="Change the agenda").click()
        await page.get_by_label("What is the item about?").fill("Getting a GP appointment")
        await page.get_by_label("Presenter (optional)").fill("Healthwatch partner")
        await page.get_by_role("button", name="Add item").click()
        await page.get_by_label("What is the item about?").fill("Welcome")
        await page.get_by_role("button", name="Add item").click()
        await page.get_by_role("button", name=re.compile(r"Move up\s*: Welcome")).click()
        first = await page.inner_text(".forum-table tbody tr:first-child")
        assert "Welcome" in first
        await people.check(page, "agenda")
        await page.get_by_role("link", name=re.compile(r"Change\s*: Welcome")).click()
        await people.check(page, "change agenda item")
        await page.get_by_label("How many minutes? (optional)").fill("10")
        await page.get_by_role("button", name="Save item").click()
        assert "Agenda item changed" in await page.inner_text(".forum-notification")

        await page.goto(meeting_page)
        await page.get_by_role("link", name="Registrations and waiting list").click()
        await page.get_by_label("Name (not a member)").fill("Chris Example")
        await page.get_by_role("button", name="Register").click()
        assert "Chris Example" in await page.inner_text("table")
        await people.check(page, "registrations")

        await page.goto(meeting_page)
        await page.get_by_role("link", name="Change title, places or access support").click()
        await people.check(page, "change details")
        await page.get_by_label("Number of places").fill("25")
        await page.get_by_role("button", name="Save changes").click()
        assert "Meeting details saved" in await page.inner_text(".forum-notification")

        await page.get_by_role("link", name="Move to another time or place").click()
        await people.check(page, "move meeting")
        await page.get_by_label("Starts").fill(local(9, 14))
        await page.get_by_label("Ends").fill(local(9, 16))
        await page.get_by_role("button", name="Move meeting").click()
        assert "Meeting moved" in await page.inner_text(".forum-notification")

        await page.get_by_role("link", name="Cancel the meeting").click()
        await people.check(page, "cancel meeting")
        await page.get_by_role("button", name="Cancel meeting").click()
        assert "Cancelled" in await page.inner_text("main")

        past = (
            await mt.staff.post(
                "/meetings", json=meeting_at(days=-2, title="Forum in Huntingdon", area="Huntingdonshire")
            )
        ).json()
        await page.goto(f"{url}/staff/meetings/{past['id']}")
        await page.get_by_role("link", name="Record attendance").click()
        await people.check(page, "record attendance")
        await page.get_by_label("How many members of the public came?").fill("11")
        await page.get_by_label("Minutes (optional)").fill("Members discussed GP access.")
        await page.get_by_role("button", name="Record attendance").click()
        assert "recorded as held" in await page.inner_text(".forum-notification")

        await page.get_by_role("link", name="Correct the minutes").click()
        await people.check(page, "minutes")
        await page.get_by_role("button", name="Save minutes").click()
        await page.get_by_role("link", name="Record an action agreed").click()
        await people.check(page, "record an action")
        await page.get_by_label("What was agreed?").fill("Write to the practice managers")
        await page.get_by_label("Which role or organisation will do it?").fill("Forum chair")
        await page.get_by_role("button", name="Record action").click()

        await page.get_by_role("link", name="Actions", exact=True).click()
        await people.check(page, "actions")
        await page.get_by_role("button", name=re.compile(r"Mark as done\s*: Write to the practice managers")).click()
        assert "Action marked as done" in await page.inner_text(".forum-notification")
        await page.get_by_role("link", name="Areas", exact=True).click()
        await people.check(page, "areas")


async def test_staff_plan_and_record_a_pop_up_forum(start_meetings, deliver, people):
    async with start_meetings() as mt, mt.serve_http() as url:
        await mt.wait_subscribed()
        group, tag = f"grp-{uuid.uuid4().hex[:8]}", uuid.uuid4().hex[:6]
        a, b = f"amara-{tag}", f"ben-{tag}"
        await deliver(
            CommunityGroupRegistered(community_group_id=group, name="Chatteris Friendship Club", areas=["Fenland"])
        )
        for member in (a, b):
            await deliver(InvolvementRoleAssigned(
                assignment_id=f"as-{member}", member_id=member, role_id="r1", role_title="Pop-up facilitator",
                starts_on=datetime.now(UTC).date() - timedelta(days=60),
            ))

        async def known():
            holders = {h["member_id"] for h in (await mt.staff.get("/role-holders")).json()}
            return (await mt.staff.get("/community-groups")).json() and {a, b} <= holders

        await wait_for(known, what="group and role holders known")
        await mt.add_account("pat.staff@example.org", "staff")
        page = await people.new("staff")
        await people.sign_in(page, url, "pat.staff@example.org")
        await page.goto(url + "/staff/pop-up-forums")
        await page.get_by_role("button", name="Plan a pop-up forum").click()
        await page.get_by_label("Community group").select_option(group)
        await page.get_by_label(f"Member {a}").check()
        await page.get_by_label("Starts").fill(local(5, 10))
        await page.get_by_label("Ends").fill(local(5, 11))
        await page.get_by_role("button", name="Plan pop-up forum").click()
        assert "exactly two" in await page.inner_text(".forum-error-summary")
        await people.check(page, "plan pop-up with errors")
        await page.get_by_label(f"Member {b}").check()
        await page.get_by_label("Current work to share (optional)").fill("Carers' breaks\nDischarge from hospital")
        await page.get_by_role("button", name="Plan pop-up forum").click()
        assert "Pop-up forum planned" in await page.inner_text(".forum-notification")
        await people.check(page, "pop-up forum")
        await page.get_by_role("link", name="See the public page").click()
        await people.check(page, "public pop-up forum")

        past = (await mt.staff.post("/pop-up-forums", json={
            "community_group_id": group, "facilitator_member_ids": [a, b],
            "starts_at": local(-3, 10), "ends_at": local(-3, 11),
        })).json()
        await page.goto(f"{url}/staff/pop-up-forums/{past['id']}")
        await page.get_by_role("link", name="Record what happened").click()
        await people.check(page, "record pop-up forum")
        await page.get_by_label("How many people took part?").fill("12")
        await page.get_by_label("What was shared with the group?").fill("Our work on GP access.")
        await page.get_by_role("button", name="Record pop-up forum").click()
        assert "recorded as held" in await page.inner_text(".forum-notification")
        await page.get_by_role("link", name="Back to pop-up forums").click()
        await people.check(page, "pop-up forums")
