"""Staff keep the directory: every change has a history, and unverified listings go stale."""

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from signposting.store import services

STAFF = {"X-Changed-By": "Priya (signposting team)"}


async def _org(client) -> str:
    resp = await client.post(
        "/organizations", json={"name": "Huntingdon Men's Shed", "description": "Making things together."}
    )
    assert resp.status_code == 201, resp.text
    return resp.json()["id"]


async def _service(client, org_id: str, **extra) -> dict:
    body = {
        "name": "Shed Wednesdays",
        "organization_id": org_id,
        "service_areas": [{"name": "PE29"}],
        "schedules": [{"freq": "WEEKLY", "byday": "WE", "opens_at": "14:00", "closes_at": "16:00"}],
        "contacts": [{"name": "Shed coordinator", "phones": [{"number": "01480 000000"}]}],
        **extra,
    }
    resp = await client.post("/services", json=body, headers=STAFF)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def test_each_change_keeps_who_when_and_what_changed(signposting, schemas):
    client = signposting.staff
    service = await _service(client, await _org(client))
    resp = await client.patch(
        f"/services/{service['id']}",
        headers=STAFF,
        json={
            "name": "Shed Wednesday Afternoons",
            "schedules": [{"freq": "WEEKLY", "byday": "WE,FR", "opens_at": "14:00"}],
        },
    )
    assert resp.status_code == 200, resp.text
    changed = resp.json()
    assert changed["name"] == "Shed Wednesday Afternoons"
    assert changed["contacts"][0]["phones"][0]["number"] == "01480 000000"  # what was not given stays
    assert changed["schedules"][0]["byday"] == "WE,FR"

    entries = (await client.get(f"/history/{service['id']}")).json()
    for entry in entries:
        schemas.check_hsds("metadata.json", entry)
    assert [(e["last_action_type"], e["field_name"]) for e in entries] == [
        ("create", "*"),
        ("update", "name"),
        ("update", "schedules"),
    ]
    rename = entries[1]
    assert (rename["previous_value"], rename["replacement_value"]) == ("Shed Wednesdays", "Shed Wednesday Afternoons")
    assert rename["updated_by"] == "Priya (signposting team)"
    assert datetime.fromisoformat(rename["last_action_date"]) > datetime.now(UTC) - timedelta(minutes=1)

    # Saving the same content again is not a change.
    same = await client.patch(f"/services/{service['id']}", json={"name": "Shed Wednesday Afternoons"}, headers=STAFF)
    assert same.status_code == 200
    assert len((await client.get(f"/history/{service['id']}")).json()) == 3


async def test_renaming_an_organisation_is_found_by_search_and_kept_in_its_history(signposting):
    client = signposting.staff
    org_id = await _org(client)
    await _service(client, org_id)
    resp = await client.patch(f"/organizations/{org_id}", json={"name": "Godmanchester Makers"}, headers=STAFF)
    assert resp.status_code == 200, resp.text
    assert resp.json()["description"] == "Making things together."
    found = (await client.get("/services", params={"search": "godmanchester"})).json()
    assert [s["name"] for s in found["contents"]] == ["Shed Wednesdays"]
    assert [e["field_name"] for e in (await client.get(f"/history/{org_id}")).json()] == ["*", "name"]


async def test_listings_not_verified_for_twelve_months_are_flagged_stale(signposting):
    client = signposting.staff
    org_id = await _org(client)
    fresh = await _service(client, org_id)
    old = await _service(client, org_id, name="Shed Saturdays")
    assert (await client.get("/stale-listings")).json() == []  # just added counts as checked

    long_ago = date.today() - timedelta(days=370)
    async with signposting.db.transaction() as session:
        await session.execute(update(services).where(services.c.id == old["id"]).values(assured_date=long_ago))
    stale = (await client.get("/stale-listings")).json()
    assert [(s["name"], s["stale"], s["verified_on"]) for s in stale] == [
        ("Shed Saturdays", True, long_ago.isoformat())
    ]

    resp = await client.post(f"/services/{old['id']}/verify", headers=STAFF)
    assert resp.status_code == 200
    assert resp.json() == {
        "kind": "service",
        "id": old["id"],
        "name": "Shed Saturdays",
        "verified_on": date.today().isoformat(),
        "stale": False,
    }
    assert (await client.get("/stale-listings")).json() == []
    assert (await client.get(f"/services/{old['id']}")).json()["assured_date"] == date.today().isoformat()
    assert (await client.get(f"/history/{old['id']}")).json()[-1]["last_action_type"] == "verify"
    assert fresh["id"] != old["id"]


async def test_bad_directory_input_gets_a_readable_4xx(signposting):
    client = signposting.staff
    org_id = await _org(client)
    unknown = "00000000-0000-4000-8000-000000000000"
    for body, words in (
        ({"name": "No owner"}, "organization_id"),
        ({"name": "Ghost", "organization_id": unknown}, "no organisation"),
        ({"name": "Ghost", "organization_id": org_id, "taxonomy_term_ids": [unknown]}, "no taxonomy term"),
        (
            {"name": "Ghost", "organization_id": org_id, "service_at_locations": [{"location_id": unknown}]},
            "no location",
        ),
        ({"name": "Ghost", "organization_id": org_id, "schedules": [{"byday": "Mondays"}]}, "day codes"),
        ({"name": "Ghost", "organization_id": org_id, "schedules": [{"opens_at": "noon"}]}, "time of day"),
        ({"name": "Ghost", "organization_id": org_id, "status": "open"}, "status"),
        ({"name": "Ghost", "organization_id": org_id, "url": "example.org"}, "http"),
        ({"name": "Ghost", "organization_id": org_id, "minimum_age": 30, "maximum_age": 18}, "minimum_age"),
    ):
        resp = await client.post("/services", json=body)
        assert resp.status_code == 422, (body, resp.text)
        assert words in resp.json()["detail"], resp.json()["detail"]
    service = await _service(client, org_id)
    again = await client.post("/services", json={"id": service["id"], "name": "Twin", "organization_id": org_id})
    assert again.status_code == 409 and "PATCH" in again.json()["detail"]
    schedule = {"id": service["schedules"][0]["id"], "byday": "MO", "opens_at": "10:00", "closes_at": "12:00"}
    clash = {"name": "Clash", "organization_id": org_id, "schedules": [schedule]}
    used_twice = await client.post("/services", json=clash)
    assert used_twice.status_code == 409 and "an id is used twice" in used_twice.json()["detail"]
    as_page = await client.post("/services", json=clash, headers={"accept": "text/html"})
    assert as_page.status_code == 409 and "<main" in as_page.text and "an id is used twice" in as_page.text
    assert (await client.patch(f"/services/{unknown}", json={"name": "X"})).status_code == 404
    assert (await client.patch(f"/services/{service['id']}", json={"colour": "red"})).status_code == 422
    assert (await client.post(f"/organizations/{unknown}/verify")).status_code == 404
    bad_location = await client.post("/locations", json={"addresses": [{"address_1": "1 High St", "city": "Ely"}]})
    assert bad_location.status_code == 422 and "postal_code" in bad_location.json()["detail"]
    assert len((await client.get("/services")).json()["contents"]) == 1  # nothing half-saved
