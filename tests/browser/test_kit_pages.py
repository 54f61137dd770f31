"""The kit's own pages in a real browser: sign-in, accounts, API tokens, the audit log and dead letters."""

from tests.services import start


async def test_an_administrator_signs_in_and_sees_accounts_tokens_and_the_audit_log(
    nats_server, database_url, people
):
    async with await start("membership", nats_server, database_url) as svc, svc.serve_http() as url:
        await svc.add_account("ada@example.org", "admin", name="Ada Admin")
        page = await people.new("admin")
        await page.goto(f"{url}/sign-in")
        await people.check(page, "sign in")
        await people.sign_in(page, url, "ada@example.org")
        pages = (
            ("/admin/accounts", "Accounts"),
            ("/admin/tokens", "API tokens"),
            ("/audit", "Audit log"),
            ("/staff/dead-letters", "Dead letters"),
        )
        for path, heading in pages:
            await page.goto(url + path)
            assert heading in await page.inner_text("h1")
            await people.check(page, path.strip("/").replace("/", " "))
        assert "Ada Admin" in await page.inner_text("header")
