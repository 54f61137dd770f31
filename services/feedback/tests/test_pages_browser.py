"""The feedback pages in a real browser: a member of the public gives feedback anonymously, staff
triage and escalate it, and a governor with the escalations page open sees it arrive without
reloading, then acknowledges it. Every page gets an accessibility check and a screenshot."""

import re

import pytest
from playwright.async_api import expect


@pytest.fixture
def backend():
    return "sqlite"


async def test_feedback_reaches_a_governor_live_and_is_acknowledged(start_feedback, people):
    # Streams last long enough that the escalation arrives as a pushed event, not on a reconnect.
    async with start_feedback(live_stream_seconds=30, live_heartbeat_seconds=1) as fb, fb.serve_http() as url:
        await fb.add_account("sam.staff@example.org", "staff", name="Sam Staff")
        await fb.add_account("gita.governor@example.org", "governor", name="Gita Governor")

        # A member of the public gives feedback, anonymously.
        public = await people.new("public")
        await public.goto(url)
        await people.check(public, "start page")
        await public.get_by_role("link", name="Give feedback").first.click()
        await expect(public.locator("h1")).to_have_text("Give feedback")
        await people.check(public, "give feedback")
        await public.get_by_role("button", name="Send feedback").click()
        await expect(public.locator(".forum-error-summary")).to_contain_text("Enter what you would like to tell us")
        await people.check(public, "give feedback with an error")
        await public.get_by_label("What would you like to tell us?").fill(
            "I rang the crisis line three times one night and nobody answered."
        )
        await public.get_by_label("Which area is it about? (optional)").select_option("Fenland")
        await public.get_by_label("Crisis care").check()
        await public.get_by_label("A concern").check()
        await public.get_by_role("button", name="Send feedback").click()
        await expect(public.locator("h1")).to_contain_text("Thank you")
        await people.check(public, "feedback sent")

        # A governor opens the escalations page and keeps it open.
        governor = await people.new("governor")
        await people.sign_in(governor, url, "gita.governor@example.org")
        await governor.goto(f"{url}/governors/escalations")
        await expect(governor.locator("#escalations-list")).to_have_attribute("data-live", "connected")
        await expect(governor.locator("#escalations-list")).to_contain_text("There are no open escalations")
        await people.check(governor, "open escalations, none yet")

        # Staff triage the feedback and escalate it.
        staff = await people.new("staff")
        await people.sign_in(staff, url, "sam.staff@example.org")
        await staff.goto(f"{url}/staff/feedback")
        await people.check(staff, "feedback list")
        await staff.get_by_role("link", name=re.compile("crisis line three times")).click()
        await expect(staff.locator("h1")).to_contain_text("Feedback")
        await people.check(staff, "feedback item")
        await staff.get_by_label("3", exact=True).check()
        await staff.get_by_role("button", name="Save triage").click()
        await expect(staff.locator(".forum-notification")).to_contain_text("Feedback triaged")
        await staff.get_by_role("link", name="remove words that identify someone").click()
        await expect(staff.locator("h1")).to_have_text("Remove words that identify someone")
        await people.check(staff, "remove words")
        await staff.go_back()
        await staff.get_by_role("link", name="Escalate to governors").click()
        await people.check(staff, "escalate")
        await staff.get_by_label("Summary for the public agenda").fill("Crisis line unanswered at night in Fenland")
        await staff.get_by_label("Notes for governors only").fill("People in crisis could not reach anyone.")
        await staff.get_by_role("button", name="Escalate").click()
        await expect(staff.locator(".forum-notification")).to_contain_text("Escalated to governors")

        # The governor's page shows it without a reload, and says so to screen readers.
        await expect(governor.locator("#escalations-list")).to_contain_text(
            "Crisis line unanswered at night in Fenland"
        )
        await expect(governor.locator("#escalations-announcer")).to_contain_text(
            "New escalation: Crisis line unanswered"
        )
        await people.check(governor, "open escalations, one arrived")
        await governor.get_by_role("link", name="Crisis line unanswered at night in Fenland").click()
        await people.check(governor, "escalation")
        await governor.get_by_role("button", name="Acknowledge").click()
        await expect(governor.locator(".forum-notification")).to_contain_text("You have acknowledged this escalation")
        await expect(governor.locator("main")).to_contain_text("Gita Governor")
        await governor.get_by_label("Your note").fill("I will raise this at the open meeting.")
        await governor.get_by_role("button", name="Add note").click()
        await expect(governor.locator("main")).to_contain_text("I will raise this at the open meeting.")
        await people.check(governor, "escalation acknowledged")
        [esc] = (await fb.staff.get("/escalations")).json()
        assert (esc["status"], esc["acknowledged_by"]) == ("acknowledged", "Gita Governor")

        # Staff answer it, and the public can read the answer.
        await staff.goto(f"{url}/staff/escalations")
        await people.check(staff, "escalations")
        await staff.get_by_role("link", name="Crisis line unanswered at night in Fenland").click()
        await people.check(staff, "escalation")
        await staff.get_by_role("link", name=re.compile("Publish a .you said, we did. response")).click()
        await people.check(staff, "respond")
        await staff.get_by_label("We did").fill("The crisis line now has two more people on at night.")
        await staff.get_by_label("Change made").check()
        await staff.get_by_role("button", name="Publish response").click()
        await expect(staff.locator(".forum-notification")).to_contain_text("Response published")
        for path, name in (("/staff/reports", "reports"), ("/staff/themes", "themes"), ("/", "start page signed in")):
            await staff.goto(url + path)
            await people.check(staff, name)
        await public.goto(f"{url}/you-said-we-did")
        await expect(public.locator("main")).to_contain_text("two more people on at night")
        await people.check(public, "you said we did")


async def test_without_javascript_governors_refresh_the_list(start_feedback, people):
    async with start_feedback(live_stream_seconds=2) as fb, fb.serve_http() as url:
        await fb.add_account("gita.governor@example.org", "governor", name="Gita Governor")
        governor = await people.new("governor", javascript=False)
        await people.sign_in(governor, url, "gita.governor@example.org")
        await governor.goto(f"{url}/governors/escalations")
        item = (await fb.client.post("/feedback", json={"text": "Carers are not told about discharge"})).json()
        await fb.staff.post(
            f"/feedback/{item['id']}/escalations",
            json={"summary": "Carers left out of discharge", "reason": "Repeated"},
        )
        await expect(governor.locator("#escalations-list")).not_to_contain_text("Carers left out of discharge")
        await governor.get_by_role("link", name="Refresh the list").click()
        await expect(governor.locator("#escalations-list")).to_contain_text("Carers left out of discharge")
        # No accessibility check here: axe-core needs JavaScript; the same page is checked above.
