"""The pages every service gets from the kit, in a real browser: sign-in, accounts, API tokens,
the audit log, dead letters, changing your password, and the 403 and 404 pages."""

from tests.services import start


async def test_an_administrator_manages_accounts_and_tokens_and_reads_the_audit_log(nats_server, database_url, people):
    async with await start("membership", nats_server, database_url) as svc, svc.serve_http() as url:
        await svc.add_account("ada@example.org", "admin", name="Ada Admin")
        admin = await people.new("admin")
        await admin.goto(f"{url}/sign-in")
        await people.check(admin, "sign in")
        await admin.get_by_label("Email address").fill("ada@example.org")
        await admin.get_by_label("Password").fill("not the password")
        await admin.get_by_role("button", name="Sign in").click()
        assert "Enter a correct email address and password" in await admin.inner_text(".forum-error-summary")
        await people.check(admin, "sign in with an error")
        await people.sign_in(admin, url, "ada@example.org")
        assert "Ada Admin" in await admin.inner_text("header")

        # A new staff account.
        await admin.goto(f"{url}/admin/accounts")
        await people.check(admin, "accounts")
        await admin.get_by_role("button", name="Add an account").click()
        await people.check(admin, "add an account")
        await admin.get_by_label("Full name").fill("Sam Okafor")
        await admin.get_by_label("Email address").fill("sam@example.org")
        await admin.get_by_label("Staff", exact=True).check()
        await admin.get_by_label("First password").fill("a long first password")
        await admin.get_by_role("button", name="Add account").click()
        assert "Account created for Sam Okafor" in await admin.inner_text("main")
        await people.check(admin, "an account")

        # A token for a partner's program, shown once, then revoked.
        await admin.goto(f"{url}/admin/tokens")
        await people.check(admin, "api tokens")
        await admin.get_by_label("What is it for?").fill("SUN Network import")
        await admin.get_by_label("Staff", exact=True).check()
        await admin.get_by_role("button", name="Create token").click()
        await people.check(admin, "token created")
        token = await admin.get_by_label("Token for SUN Network import").input_value()
        headers = {"authorization": f"Bearer {token}"}
        assert (await svc.client.get("/members", headers=headers)).status_code == 200
        await admin.goto(f"{url}/admin/tokens")
        await admin.get_by_role("button", name="Revoke the token for SUN Network import").click()
        assert (await svc.client.get("/members", headers=headers)).status_code == 401

        await admin.goto(f"{url}/audit")
        await people.check(admin, "audit log")
        log = await admin.inner_text("main")
        assert "api_token.created" in log and "api_token.revoked" in log and "account.created" in log

        await admin.goto(f"{url}/account/password")
        await people.check(admin, "change password")
        await admin.goto(f"{url}/no-such-page")
        assert "Page not found" in await admin.inner_text("h1")
        await people.check(admin, "page not found")


async def test_staff_see_dead_letters_and_a_clear_page_where_they_may_not_go(nats_server, database_url, people):
    async with await start("feedback", nats_server, database_url) as svc, svc.serve_http() as url:
        await svc.add_account("sam@example.org", "staff", name="Sam Okafor")
        staff = await people.new("staff")
        await people.sign_in(staff, url, "sam@example.org")
        await staff.goto(f"{url}/staff/dead-letters")
        assert "There are no dead letters waiting for a fix" in await staff.inner_text("main")
        await people.check(staff, "dead letters")
        await staff.goto(f"{url}/admin/accounts")
        assert "You do not have permission" in await staff.inner_text("h1")
        await people.check(staff, "not allowed")
        await staff.get_by_role("button", name="Sign out").click()
        await staff.goto(f"{url}/staff/dead-letters")
        assert "/sign-in" in staff.url
