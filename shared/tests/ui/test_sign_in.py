"""Signing in and out, wrong passwords, lock-out, and how long a sign-in lasts."""

from datetime import UTC, datetime, timedelta

from sqlalchemy import select, update

from forum_shared.tables import audit_log, sign_in_failures, web_sessions

from .conftest import BROWSER, PASSWORD, start_web


async def test_a_person_signs_in_sees_their_name_and_signs_out(web):
    await web.add_account("sam@example.org", "staff", name="Sam Patel")
    signed_in = await web.sign_in("SAM@example.org ", next="/staff/notes")
    assert signed_in.status_code == 303 and signed_in.headers["location"] == "/staff/notes"

    page = await web.client.get("/staff/notes", headers=BROWSER)
    assert page.status_code == 200
    assert "Sam Patel" in page.text and "Sign out" in page.text

    token = await web.form_token("/staff/notes")
    out = await web.client.post("/sign-out", data={"csrf_token": token}, headers=BROWSER)
    assert out.status_code == 303
    again = await web.client.get("/staff/notes", headers=BROWSER)
    assert again.status_code == 303 and again.headers["location"].startswith("/sign-in")
    notice = await web.client.get("/sign-in", headers=BROWSER)
    assert "You have signed out" in notice.text


async def test_a_wrong_password_is_refused_with_an_error_that_links_to_the_field(web):
    await web.add_account("sam@example.org")
    refused = await web.sign_in("sam@example.org", "not the password at all")
    assert refused.status_code == 422
    assert 'href="#email"' in refused.text and "Enter a correct email address and password" in refused.text
    assert "<title>Error: Sign in" in refused.text
    assert web.kit.ui.session_cookie not in web.client.cookies


async def test_an_empty_form_asks_for_each_field(web):
    token = await web.form_token()
    resp = await web.client.post("/sign-in", data={"csrf_token": token}, headers=BROWSER)
    assert resp.status_code == 422
    assert "Enter your email address" in resp.text and "Enter your password" in resp.text


async def test_repeated_wrong_passwords_lock_the_email_even_against_the_right_one(web):
    await web.add_account("sam@example.org")
    for _ in range(2):  # web_settings: sign_in_max_failures=3
        assert (await web.sign_in("sam@example.org", "wrong password!")).status_code == 422
    third = await web.sign_in("sam@example.org", "wrong password!")
    assert third.status_code == 429 and "too many times" in third.text
    locked = await web.sign_in("sam@example.org", PASSWORD)
    assert locked.status_code == 429
    assert "too many times" in locked.text and int(locked.headers["retry-after"]) > 800

    # When the lock-out has passed, the right password works again.
    async with web.kit.db.transaction() as session:
        await session.execute(
            update(sign_in_failures).values(locked_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    assert (await web.sign_in("sam@example.org", PASSWORD)).status_code == 303


async def test_an_unknown_email_is_locked_the_same_way_so_lock_out_reveals_no_account(web):
    for _ in range(2):
        assert (await web.sign_in("nobody@example.org", "wrong password!")).status_code == 422
    assert (await web.sign_in("nobody@example.org", "wrong password!")).status_code == 429
    assert "too many times" in (await web.sign_in("nobody@example.org", PASSWORD)).text


async def test_failures_are_counted_in_a_row_and_a_success_clears_them(web):
    await web.add_account("sam@example.org")
    for _ in range(2):
        await web.sign_in("sam@example.org", "wrong password!")
    assert (await web.sign_in("sam@example.org")).status_code == 303
    web.client.cookies.clear()
    for _ in range(2):
        await web.sign_in("sam@example.org", "wrong password!")
    assert (await web.sign_in("sam@example.org")).status_code == 303


async def test_sign_ins_and_failures_are_audited_without_the_email_or_password(web):
    account = await web.add_account("sam@example.org")
    await web.sign_in("sam@example.org", "wrong password!")
    await web.sign_in("sam@example.org")
    async with web.kit.db.read() as session:
        rows = (await session.execute(select(audit_log).order_by(audit_log.c.id))).all()
    actions = [(r.action, r.target) for r in rows]
    assert ("account.sign_in_failed", f"account:{account['id']}") in actions
    assert ("account.signed_in", f"account:{account['id']}") in actions
    text = " ".join(str(r._mapping) for r in rows)
    assert "sam@example.org" not in text and "wrong password" not in text


async def test_a_sign_in_ends_after_being_idle(web):
    await web.signed_in_as("staff")
    assert (await web.client.get("/staff/notes", headers=BROWSER)).status_code == 200
    async with web.kit.db.transaction() as session:
        await session.execute(
            update(web_sessions).values(last_seen_at=datetime.now(UTC) - timedelta(hours=2))
        )
    assert (await web.client.get("/staff/notes", headers=BROWSER)).status_code == 303


async def test_disabling_an_account_signs_it_out_at_once(web):
    staff = await web.signed_in_as("staff")
    assert (await web.client.get("/api/notes")).status_code == 200
    async with web.kit.db.transaction() as session:
        from forum_shared.identity import accounts
        from forum_shared.identity.principal import Principal

        admin = Principal("account", "admin-id", "Admin", "admin")
        await accounts.change_account(session, staff["id"], actor=admin, disabled=True)
    assert (await web.client.get("/api/notes")).status_code == 401
    assert (await web.sign_in(staff["email"])).status_code == 422


async def test_a_person_changes_their_password_and_stays_signed_in(web):
    await web.signed_in_as("governor", "gov@example.org")
    token = await web.form_token("/account/password")
    short = await web.client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "short",
            "confirm_password": "short",
        },
        headers=BROWSER,
    )
    assert short.status_code == 422 and "12 characters or more" in short.text
    changed = await web.client.post(
        "/account/password",
        data={
            "csrf_token": token,
            "current_password": PASSWORD,
            "new_password": "a much better passphrase",
            "confirm_password": "a much better passphrase",
        },
        headers=BROWSER,
    )
    assert changed.status_code == 303
    assert "Your password has been changed" in (await web.client.get("/", headers=BROWSER)).text
    web.client.cookies.clear()
    assert (await web.sign_in("gov@example.org")).status_code == 422
    assert (await web.sign_in("gov@example.org", "a much better passphrase")).status_code == 303


async def test_sign_in_cookies_are_http_only_lax_and_secure_outside_development(database_url):
    web = await start_web(await database_url("toy"), environment="production", secret_key="s" * 40)
    try:
        await web.add_account("sam@example.org")
        page = await web.client.get("/sign-in", headers=BROWSER)
        csrf_cookie = page.headers["set-cookie"]
        assert csrf_cookie.startswith("__Host-forum_toy_csrf=")
        token = page.text.split('name="csrf_token" value="')[1].split('"')[0]
        # httpx keeps Secure cookies for https only, so send the CSRF cookie by hand.
        cookie = csrf_cookie.split(";")[0]
        resp = await web.client.post(
            "/sign-in",
            data={"email": "sam@example.org", "password": PASSWORD, "csrf_token": token},
            headers={**BROWSER, "cookie": cookie},
        )
        assert resp.status_code == 303
        attributes = [a.strip().lower() for a in resp.headers["set-cookie"].split(";")]
        assert attributes[0].startswith("__host-forum_toy_session=")
        assert {"httponly", "secure", "samesite=lax", "path=/"} <= set(attributes)
        assert "strict-transport-security" in resp.headers
    finally:
        await web.client.aclose()
        await web.kit.db.dispose()


async def test_in_development_the_cookie_is_not_marked_secure_so_http_on_this_machine_works(web):
    await web.add_account("sam@example.org")
    resp = await web.sign_in("sam@example.org")
    attributes = [a.strip().lower() for a in resp.headers["set-cookie"].split(";")]
    assert attributes[0].startswith("forum_toy_session=") and "secure" not in attributes
    assert "httponly" in attributes and "samesite=lax" in attributes
