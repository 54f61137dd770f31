"""Who may do what: pages and JSON refuse the public and the wrong role; API tokens work until revoked."""

from datetime import datetime

import pytest
from sqlalchemy import select

from forum_shared.errors import Invalid
from forum_shared.tables import api_tokens

from .conftest import BROWSER, csrf_from


async def test_a_staff_page_sends_a_browser_that_is_not_signed_in_to_sign_in_and_back(web):
    resp = await web.client.get("/staff/notes?page=2", headers=BROWSER)
    assert resp.status_code == 303
    assert resp.headers["location"] == "/sign-in?next=/staff/notes%3Fpage%3D2"
    await web.add_account("sam@example.org")
    back = await web.sign_in("sam@example.org", next="/staff/notes?page=2")
    assert back.headers["location"] == "/staff/notes?page=2"


async def test_sign_in_never_sends_someone_to_another_site(web):
    await web.add_account("sam@example.org")
    resp = await web.sign_in("sam@example.org", next="//evil.example/steal")
    assert resp.headers["location"] == "/"


async def test_the_wrong_role_gets_a_clear_403_page_in_a_browser_and_json_for_a_program(web):
    await web.signed_in_as("governor")
    page = await web.client.get("/staff/notes", headers=BROWSER)
    assert page.status_code == 403
    assert (
        "You do not have permission" in page.text and "only for staff or administrator accounts" in page.text
    )
    api = await web.client.get("/api/notes")
    assert api.status_code == 403 and "only for staff" in api.json()["detail"]


async def test_an_api_without_credentials_answers_401_asking_for_a_bearer_token(web):
    resp = await web.client.get("/api/notes")
    assert resp.status_code == 401
    assert resp.headers["www-authenticate"] == "Bearer" and "Bearer" in resp.json()["detail"]


async def test_a_signed_in_browser_can_use_the_json_api_too(web):
    await web.signed_in_as("admin")
    assert (await web.client.get("/api/notes")).json() == {
        "kind": "account",
        "role": "admin",
        "name": "Admin",
    }


async def test_an_api_token_works_for_its_role_and_notes_when_it_was_used(web):
    row, token = await web.add_token("staff")
    resp = await web.client.get("/api/notes", headers={"authorization": f"Bearer {token}"})
    assert resp.status_code == 200
    assert resp.json() == {"kind": "token", "role": "staff", "name": "SUN Network import"}
    async with web.kit.db.read() as session:
        used = await session.scalar(select(api_tokens.c.last_used_at).where(api_tokens.c.id == row["id"]))
    assert isinstance(used, datetime)
    async with web.kit.db.read() as session:
        stored = await session.scalar(select(api_tokens.c.token_hash).where(api_tokens.c.id == row["id"]))
    assert token not in stored  # only its hash is kept


async def test_a_token_for_another_role_is_refused_with_403(web):
    _, token = await web.add_token("governor")
    assert (
        await web.client.get("/api/notes", headers={"authorization": f"Bearer {token}"})
    ).status_code == 403


async def test_a_revoked_or_made_up_token_is_refused(web):
    await web.signed_in_as("admin")
    created = await web.client.post("/api-tokens", json={"name": "Mind import", "role": "staff"})
    assert created.status_code == 201
    token = created.json()["token"]
    web.client.cookies.clear()
    assert (
        await web.client.get("/api/notes", headers={"authorization": f"Bearer {token}"})
    ).status_code == 200
    await web.signed_in_as("admin", "admin2@example.org")
    csrf = await web.csrf_header()
    revoked = await web.client.post(f"/api-tokens/{created.json()['id']}/revoke", headers=csrf)
    assert revoked.status_code == 200 and revoked.json()["revoked_at"]
    again = await web.client.post(f"/api-tokens/{created.json()['id']}/revoke", headers=csrf)
    assert again.status_code == 409
    refused = await web.client.get("/api/notes", headers={"authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and "revoked" in refused.json()["detail"]
    made_up = await web.client.get("/api/notes", headers={"authorization": "Bearer forum_madeup"})
    assert made_up.status_code == 401


async def test_only_administrators_manage_accounts_and_tokens(web):
    await web.signed_in_as("staff")
    assert (await web.client.get("/admin/accounts", headers=BROWSER)).status_code == 403
    assert (await web.client.get("/admin/tokens", headers=BROWSER)).status_code == 403
    assert (await web.client.get("/accounts")).status_code == 403
    assert (await web.client.post("/api-tokens", json={"name": "x", "role": "admin"})).status_code == 403


async def test_an_administrator_adds_an_account_with_the_form_and_they_can_sign_in(web):
    await web.signed_in_as("admin")
    form = await web.client.get("/admin/accounts/new", headers=BROWSER)
    token = csrf_from(form.text)
    bad = await web.client.post(
        "/admin/accounts/new",
        data={"csrf_token": token, "name": "", "email": "not-an-email", "password": "short"},
        headers=BROWSER,
    )
    assert bad.status_code == 422
    for message in (
        "Enter their full name",
        "Enter an email address in the correct format",
        "Select a role",
        "Password must be 12 characters or more",
    ):
        assert message in bad.text
    for field in ("name", "email", "role", "password"):
        assert f'href="#{field}"' in bad.text and f'id="{field}"' in bad.text
    assert 'value="not-an-email"' in bad.text and 'value="short"' not in bad.text
    good = await web.client.post(
        "/admin/accounts/new",
        data={
            "csrf_token": token,
            "name": "Gill Governor",
            "email": "gill@example.org",
            "role": "governor",
            "password": "gill's long passphrase",
        },
        headers=BROWSER,
    )
    assert good.status_code == 303
    page = await web.client.get(good.headers["location"], headers=BROWSER)
    assert "Account created for Gill Governor" in page.text and "Governor" in page.text
    duplicate = await web.client.post(
        "/admin/accounts/new",
        data={
            "csrf_token": token,
            "name": "Gill",
            "email": "GILL@example.org",
            "role": "staff",
            "password": "x" * 12,
        },
        headers=BROWSER,
    )
    assert duplicate.status_code == 422 and "already an account" in duplicate.text
    web.client.cookies.clear()
    assert (await web.sign_in("gill@example.org", "gill's long passphrase")).status_code == 303


async def test_an_administrator_changes_a_role_and_cannot_change_their_own(web):
    admin = await web.signed_in_as("admin")
    staff = await web.add_account("sam@example.org", "staff")
    changed = await web.client.patch(f"/accounts/{staff['id']}", json={"role": "governor"})
    assert changed.status_code == 200 and changed.json()["role"] == "governor"
    own = await web.client.patch(f"/accounts/{admin['id']}", json={"role": "staff"})
    assert own.status_code == 409 and "own role" in own.json()["detail"]
    assert (await web.client.patch("/accounts/nobody", json={"role": "staff"})).status_code == 404
    listed = {a["email"]: a["role"] for a in (await web.client.get("/accounts")).json()}
    assert listed == {"admin@example.org": "admin", "sam@example.org": "governor"}
    assert "password_hash" not in (await web.client.get("/accounts")).text


async def test_the_token_page_shows_a_new_token_once_and_revokes_it(web):
    await web.signed_in_as("admin")
    token = csrf_from((await web.client.get("/admin/tokens", headers=BROWSER)).text)
    created = await web.client.post(
        "/admin/tokens", data={"csrf_token": token, "name": "SUN import", "role": "staff"}, headers=BROWSER
    )
    assert created.status_code == 200 and "only time the token is shown" in created.text
    secret = created.text.split('id="token" type="text" value="')[1].split('"')[0]
    assert secret.startswith("forum_")
    listing = await web.client.get("/admin/tokens", headers=BROWSER)
    assert secret not in listing.text and "SUN import" in listing.text
    token_id = (await web.client.get("/api-tokens")).json()[0]["id"]
    revoked = await web.client.post(
        f"/admin/tokens/{token_id}/revoke", data={"csrf_token": token}, headers=BROWSER
    )
    assert revoked.status_code == 303
    assert "revoked" in (await web.client.get("/admin/tokens", headers=BROWSER)).text


async def test_the_header_shows_each_person_only_the_links_for_their_role(web):
    public = (await web.client.get("/", headers=BROWSER)).text
    assert "Add a note" in public and "Staff notes" not in public and "Audit log" not in public
    assert 'href="/sign-in"' in public
    await web.signed_in_as("staff")
    staff = (await web.client.get("/", headers=BROWSER)).text
    assert "Staff notes" in staff and "Audit log" in staff and "API tokens" not in staff
    web.client.cookies.clear()
    await web.signed_in_as("admin")
    admin = (await web.client.get("/", headers=BROWSER)).text
    assert "Accounts" in admin and "API tokens" in admin and "Sign out" in admin


async def test_a_partner_token_reaches_no_staff_route_and_no_account_can_be_a_partner(web):
    _row, token = await web.add_token("partner")
    refused = await web.client.get("/api/notes", headers={"authorization": f"Bearer {token}"})
    assert refused.status_code == 403
    with pytest.raises(Invalid):
        await web.add_account("program@example.org", "partner")
