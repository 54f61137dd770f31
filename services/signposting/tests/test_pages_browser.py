"""The pages in a real browser (Chromium): a member of the public finds a local group by postcode
district, and a member of staff keeps the directory and signposts someone. Each page gets an
accessibility check (axe-core) and a screenshot."""

from datetime import date, timedelta

import pytest

from signposting import demo


@pytest.fixture
def backend():
    return "sqlite"


async def test_a_member_of_the_public_finds_a_local_group_by_postcode_district(signposting, people):
    await demo.load(signposting.admin, date.today())
    async with signposting.serve_http() as url:
        page = await people.new("public")
        await page.goto(url + "/")
        assert await page.inner_text("h1") == "Find a local group or service"
        await people.check(page, "start page")

        await page.get_by_label("Where do you live?").fill("PE1")
        await page.get_by_role("button", name="Find a group").click()
        await page.wait_for_load_state()
        assert "results" in await page.inner_text("#results")
        assert "Carers' coffee morning" in await page.inner_text("main")
        await people.check(page, "results for PE1")

        await page.get_by_role("link", name="Carers' coffee morning", exact=True).click()
        await page.wait_for_load_state()
        main = await page.inner_text("main")
        assert "The first Thursday of the month, 10am to midday" in main
        assert "01632 960202" in main
        await people.check(page, "a group's session")

        await page.get_by_role("link", name="Peterborough Carers' Coffee Morning").click()
        await page.wait_for_load_state()
        assert await page.inner_text("h1") == "Peterborough Carers' Coffee Morning"
        await people.check(page, "a group")

        await page.goto(url + "/find-a-group?where=SW1A")
        assert "There is a problem" in await page.inner_text(".forum-error-summary")
        await people.check(page, "a postcode outside the county")


async def test_a_member_of_staff_keeps_the_directory_and_signposts_someone(signposting, people):
    made = await demo.load(signposting.admin, date.today() - timedelta(days=1))
    await signposting.add_account("sam@forum.example.org", "staff", name="Sam Staff")
    async with signposting.serve_http() as url:
        page = await people.new("staff")
        await people.sign_in(page, url, "sam@forum.example.org")
        await page.goto(url + "/")
        await people.check(page, "start page signed in")

        await page.get_by_role("link", name="Directory", exact=True).first.click()
        await page.wait_for_load_state()
        await people.check(page, "directory")

        await page.get_by_role("button", name="Add a community group").click()
        await page.get_by_role("button", name="Save").click()
        await page.wait_for_load_state()
        assert "Enter the group's name" in await page.inner_text(".forum-error-summary")
        await people.check(page, "add a community group with errors")
        await page.get_by_label("Name").fill("Chatteris Friendship Circle")
        await page.get_by_label("What does it do?").fill("Friendly afternoons for anyone who feels alone.")
        await page.get_by_label("Areas it covers").fill("Chatteris\nPE16")
        await page.get_by_role("button", name="Save").click()
        await page.wait_for_load_state()
        assert await page.inner_text("h1") == "Chatteris Friendship Circle"
        await people.check(page, "a community group for staff")

        await page.get_by_role("button", name="Add a service").click()
        await page.wait_for_load_state()
        await people.check(page, "add a service")
        await page.get_by_label("Name of the service or session").fill("Monday afternoon tea")
        await page.get_by_label("Loneliness").check()
        await page.get_by_label("Monday").check()
        await page.get_by_label("Starts at (optional)").fill("14:00")
        await page.get_by_label("Ends at (optional)").fill("16:00")
        await page.get_by_role("button", name="Save").click()
        await page.wait_for_load_state()
        assert "Monday afternoon tea" in await page.inner_text("main")

        await page.get_by_role("button", name="Change details").click()
        await page.wait_for_load_state()
        await people.check(page, "change a community group")
        await page.goto(page.url.removesuffix("/edit") + "/withdraw")
        await people.check(page, "withdraw a community group")

        await page.goto(url + "/staff/listings")
        assert "Friday drop-in café" in await page.inner_text("main")
        await people.check(page, "listings to check")
        await page.locator("tr", has_text="Friday drop-in café").get_by_role("button").click()
        await page.wait_for_load_state()
        assert "marked as checked" in await page.inner_text(".forum-notification")

        await page.goto(url + "/staff/signposting")
        await page.get_by_label("Where does the person live?").fill("PE13")
        await page.get_by_label("What do they need help with? (optional)").select_option(made["needs"]["Mental health"])
        await page.get_by_role("button", name="Search").click()
        await page.wait_for_load_state()
        await people.check(page, "signposting search")
        await page.get_by_label("Wednesday peer support").check()
        await page.get_by_role("button", name="Record signposting").click()
        await page.wait_for_load_state()
        assert "Signposting recorded" in await page.inner_text(".forum-notification")
        await people.check(page, "signposting records")

        await page.goto(url + "/staff/unmet-need")
        assert "gambling" in await page.inner_text("main")
        await people.check(page, "unmet need")
        await page.goto(url + "/staff/needs")
        await people.check(page, "needs")
        await page.goto(url + "/staff/transfer")
        await people.check(page, "import and export")
        await page.goto(url + f"/staff/services/{made['services']['ely_cafe']}/edit")
        await people.check(page, "change a service")
        await page.goto(url + f"/staff/organizations/{made['organization_ids'][-1]}/community-group")
        await people.check(page, "let an organisation host pop-up forums")
