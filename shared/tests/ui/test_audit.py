"""The audit log: changes are recorded with who made them, and staff can read it."""

from .conftest import BROWSER, csrf_from


async def test_a_staff_change_is_recorded_with_who_made_it_and_listed_for_staff(web):
    staff = await web.signed_in_as("staff", "sam@example.org")
    token = csrf_from((await web.client.get("/staff/notes", headers=BROWSER)).text)
    added = await web.client.post(
        "/staff/notes",
        data={"csrf_token": token, "text": "A ramp is needed", "area": "cambridge"},
        headers=BROWSER,
    )
    assert added.status_code == 303

    log = (await web.client.get("/audit-log", params={"action": "note.added"})).json()
    assert log["total"] == 1
    entry = log["items"][0]
    assert entry["actor"] == f"account:{staff['id']}" and entry["actor_name"] == "Sam"
    assert entry["target"] == "note:1" and entry["details"] == {"area": "cambridge"}

    page = await web.client.get("/audit", headers=BROWSER)
    assert page.status_code == 200
    assert "note.added" in page.text and "account.signed_in" in page.text


async def test_token_creation_and_revocation_and_account_changes_are_audited(web):
    await web.signed_in_as("admin")
    created = (await web.client.post("/api-tokens", json={"name": "Mind import", "role": "staff"})).json()
    assert (
        await web.client.post(f"/api-tokens/{created['id']}/revoke", headers=await web.csrf_header())
    ).status_code == 200
    other = (
        await web.client.post(
            "/accounts",
            json={
                "email": "gill@example.org",
                "name": "Gill",
                "role": "governor",
                "password": "long enough passphrase",
            },
        )
    ).json()
    await web.client.patch(f"/accounts/{other['id']}", json={"disabled": True})
    actions = [e["action"] for e in (await web.client.get("/audit-log")).json()["items"]]
    for action in ("api_token.created", "api_token.revoked", "account.created", "account.disabled"):
        assert action in actions
    assert created["token"] not in (await web.client.get("/audit-log")).text


async def test_governors_and_the_public_cannot_read_the_audit_log(web):
    assert (await web.client.get("/audit-log")).status_code == 401
    await web.signed_in_as("governor")
    assert (await web.client.get("/audit", headers=BROWSER)).status_code == 403


async def test_the_audit_page_is_paginated(web):
    from forum_shared.audit import record_audit

    async with web.kit.db.transaction() as session:
        for i in range(60):
            await record_audit(session, "system", "note.added", f"note:{i}")
    await web.signed_in_as("staff")
    first = await web.client.get("/audit?action=note.added", headers=BROWSER)
    assert "note:59" in first.text and "note:9<" not in first.text
    assert 'href="/audit?action=note.added&amp;page=2"' in first.text
    second = await web.client.get("/audit?action=note.added&page=2", headers=BROWSER)
    assert "note:0<" in second.text and "Previous" in second.text


async def test_an_account_change_of_several_things_is_audited_once_for_each_in_order(web):
    admin = await web.signed_in_as("admin")
    sam = await web.add_account("sam@example.org")
    changed = await web.client.patch(
        f"/accounts/{sam['id']}", json={"role": "governor", "disabled": True, "password": "a new long passphrase"}
    )
    assert changed.status_code == 200 and changed.json()["role"] == "governor"
    entries = (await web.client.get("/audit-log")).json()["items"][:3]  # newest first
    assert [(e["action"], e["target"], e["details"]) for e in reversed(entries)] == [
        ("account.role_changed", f"account:{sam['id']}", {"from": "staff", "to": "governor"}),
        ("account.disabled", f"account:{sam['id']}", {}),
        ("account.password_changed", f"account:{sam['id']}", {}),
    ]
    assert {e["actor"] for e in entries} == {f"account:{admin['id']}"}


async def test_a_new_api_token_is_never_kept_to_answer_a_retry(web):
    from sqlalchemy import select

    from forum_shared.tables import idempotency_keys

    await web.signed_in_as("admin")
    key = {"Idempotency-Key": "token-once"}
    first = await web.client.post("/api-tokens", json={"name": "Mind import", "role": "staff"}, headers=key)
    again = await web.client.post("/api-tokens", json={"name": "Mind import", "role": "staff"}, headers=key)
    assert first.status_code == again.status_code == 201
    assert first.json()["token"] != again.json()["token"]  # made afresh: the first was shown once only
    async with web.kit.db.read() as session:
        kept = (await session.execute(select(idempotency_keys.c.response_body))).scalars().all()
    assert not any(first.json()["token"] in (body or "") for body in kept)
