"""The membership pages in a real browser: a member of the public joins; staff look after members,
roles, time given and partner organisations. Every page gets an accessibility check and a
screenshot."""

import pytest

from forum_shared import mail
from membership import demo, domain


@pytest.fixture
def backend():
    return "sqlite"


async def test_a_member_of_the_public_joins_the_forum(start_membership, people):
    async with start_membership() as svc, svc.serve_http() as url:
        await demo.load(svc.admin, domain.today())
        page = await people.new("public")
        await page.goto(url)
        await people.check(page, "start page")
        await page.get_by_role("link", name="Join the forum").first.click()
        assert await page.inner_text("h1") == "Join the forum"
        await people.check(page, "join form")

        await page.get_by_label("Email address").fill("not an email")
        await page.get_by_role("button", name="Join the forum").click()
        assert "There is a problem" in await page.inner_text(".forum-error-summary")
        await people.check(page, "join form with errors")
        await page.get_by_role("link", name="Enter a name").click()  # the summary links to the field
        assert await page.evaluate("document.activeElement.id") == "display_name"

        await page.get_by_label("Your name").fill("Zoe Fairbairn")
        await page.get_by_label("Email address").fill("zoe@example.org")
        await page.get_by_label("By email").check()
        await page.get_by_label("Where do you live? (optional)").fill("Fenland")
        await page.get_by_label("Carer").check()
        await page.get_by_label("Easy read reviewer").check()
        await page.get_by_label("Hear about forum meetings and news.").check()
        await page.get_by_role("button", name="Join the forum").click()
        assert await page.inner_text("h1") == "You have joined the forum"
        await people.check(page, "joined")
        joined = [m for m in (await svc.staff.get("/members")).json() if m["display_name"] == "Zoe Fairbairn"]
        assert joined and joined[0]["area"] == "Fenland" and joined[0]["connections"] == ["Carer"]


async def test_a_joining_form_works_without_javascript(start_membership, people):
    async with start_membership() as svc, svc.serve_http() as url:
        page = await people.new("public", javascript=False)
        await page.goto(f"{url}/join")
        await page.get_by_label("Your name").fill("Yusuf")
        await page.get_by_role("button", name="Join the forum").click()
        assert await page.inner_text("h1") == "You have joined the forum"


async def test_staff_look_after_members_roles_time_and_organisations(start_membership, people):
    async with start_membership() as svc, svc.serve_http() as url:
        made = await demo.load(svc.admin, domain.today())
        await svc.add_account("sue.staff@example.org", "staff", name="Sue Staff")
        page = await people.new("staff")
        await people.sign_in(page, url, "sue.staff@example.org")

        # Members: find one, read, change details, then the leave and erase confirmations.
        await page.goto(f"{url}/staff/members")
        await people.check(page, "members")
        await page.get_by_label("Name or email").fill("lena")
        await page.get_by_role("button", name="Search").click()
        await page.get_by_role("link", name="Lena Novak").click()
        assert await page.inner_text("h1") == "Lena Novak"
        await people.check(page, "member")
        await page.get_by_role("link", name="Change name").click()
        await people.check(page, "change details")
        await page.get_by_label("Phone number").fill("07700 900999")
        await page.get_by_role("button", name="Save changes").click()
        assert "Details changed" in await page.inner_text("main")
        await page.get_by_role("link", name="They want to leave the forum").click()
        await people.check(page, "leave")
        await page.get_by_role("button", name="Confirm they have left").click()
        assert "has left the forum" in await page.inner_text("main")
        await page.get_by_role("link", name="They asked for their details to be erased").click()
        await people.check(page, "erase")
        await page.get_by_role("button", name="Erase their details").click()
        assert "Member erased" in await page.inner_text("main")

        # Roles: advertise one, note interest, arrange a chat, give the role, end it.
        await page.goto(f"{url}/staff/roles")
        await people.check(page, "roles")
        await page.get_by_role("link", name="Pop-up forum facilitator").click()
        assert "Frank Osei" in await page.inner_text("main")
        await people.check(page, "role with holders and interest")
        await page.goto(f"{url}/staff/roles")
        await page.get_by_role("button", name="Advertise a role").click()
        await people.check(page, "advertise a role")
        await page.get_by_label("Title").fill("Meeting greeter")
        await page.get_by_label("What the role involves").fill("Welcomes people at the monthly meeting.")
        await page.get_by_label("About how many hours a month").fill("3")
        await page.get_by_label("No, it is voluntary").check()
        await page.get_by_role("button", name="Advertise the role").click()
        assert await page.inner_text("h1") == "Meeting greeter"
        await people.check(page, "role")
        await page.get_by_role("link", name="Note a member's interest in this role").click()
        await people.check(page, "note interest")
        await page.get_by_label("Member").select_option(made["members"]["Owen Price"])
        await page.get_by_role("button", name="Note their interest").click()
        await page.get_by_role("link", name="Arrange a chat with Owen Price").click()
        await people.check(page, "arrange a chat")
        await page.get_by_label("Where, or how to join (optional)").fill("By phone")
        await page.get_by_role("button", name="Arrange the chat").click()
        await page.get_by_role("link", name="Give them the role (Owen Price)").click()
        await people.check(page, "give the role")
        await page.get_by_role("button", name="Give them the role").click()
        assert "now holds the role" in await page.inner_text("main")
        await page.get_by_role("link", name="End the role for Owen Price").click()
        await people.check(page, "end the role")
        await page.get_by_role("button", name="End the role").click()
        await page.goto(f"{url}/staff/interests")
        await people.check(page, "expressions of interest")

        # Time given: the month's page, record time for a facilitator, read the statement.
        await page.goto(f"{url}/staff/involvement")
        await people.check(page, "time given")
        await page.get_by_role("link", name="Record time for Harry Blake (Pop-up forum facilitator)").click()
        await people.check(page, "record time")
        await page.get_by_label("Travel").check()
        await page.get_by_label("How long, in hours").fill("2")
        await page.get_by_role("button", name="Record time").click()
        assert "2.00 hours of travel recorded" in await page.inner_text("main")
        month = domain.today().strftime("%Y-%m")
        await page.goto(f"{url}/staff/members/{made['members']['Harry Blake']}/statements/{month}")
        await people.check(page, "statement")

        # Partner organisations and reports.
        await page.goto(f"{url}/staff/organisations")
        await people.check(page, "organisations")
        await page.get_by_role("button", name="Add a partner organisation").click()
        await people.check(page, "add an organisation")
        await page.get_by_label("Name").fill("Huntingdon Hearing Voices Group")
        await page.get_by_label("What kind of organisation").fill("Peer support network")
        await page.get_by_role("button", name="Add the organisation").click()
        await people.check(page, "organisation")
        await page.get_by_label("Member").select_option(made["members"]["Kiran Shah"])
        await page.get_by_role("button", name="Add representative").click()
        assert "Representative added" in await page.inner_text("main")
        await page.goto(f"{url}/staff/reports")
        await people.check(page, "reports")
        await page.goto(url)
        await people.check(page, "start page for staff")


async def test_a_member_signs_in_by_email_and_looks_after_their_membership(start_membership, people):
    async with start_membership() as svc, svc.serve_http() as url:
        await demo.load(svc.admin, domain.today())
        page = await people.new("public")
        await page.goto(url)
        await page.get_by_role("link", name="Sign in with your email address").click()
        await people.check(page, "member sign-in")
        await page.get_by_label("Email address").fill("ines.carvalho@example.org")
        await page.get_by_role("button", name="Email me a link").click()
        assert await page.inner_text("h1") == "Check your email"
        await people.check(page, "sign-in link sent")

        async with svc.db.read() as session:
            [link] = [m["context"]["path"] for m in await mail.unsent(session) if m["template"] == "sign_in_link"]
        await page.goto(f"{url}{link}")
        await people.check(page, "sign in from the link")
        await page.get_by_role("button", name="Sign in").click()
        assert await page.inner_text("h1") == "Your membership"
        await people.check(page, "your membership")
        await page.get_by_role("link", name="Change name").click()
        await people.check(page, "change your details")
        await page.get_by_label("Phone number").fill("07700 900123")
        await page.get_by_role("button", name="Save your details").click()
        assert "Your details have been saved" in await page.inner_text("main")
        await page.get_by_role("link", name="Tell us which roles interest you").click()
        await people.check(page, "roles that interest you")
        await page.goto(f"{url}/your-membership/erase")
        await people.check(page, "erase your details")

        await page.goto(f"{url}{link}")  # used already
        assert await page.inner_text("h1") == "You cannot sign in with this link"
        await people.check(page, "sign-in link used")
