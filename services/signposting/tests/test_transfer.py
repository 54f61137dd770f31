"""Import an Open Referral UK feed or the HSDS CSV form, all or nothing; export the whole directory."""

import copy
import csv
import io
import json
import zipfile
from pathlib import Path

from forum_shared.testing import run_service
from signposting.app import create_app

EXAMPLE = json.loads((Path(__file__).parent / "standards" / "oruk-profile" / "example_service_full.json").read_text())


def _without_times(value):
    if isinstance(value, list):
        return [_without_times(v) for v in value]
    if isinstance(value, dict):
        return {k: _without_times(v) for k, v in value.items() if k != "last_modified"}
    return value


async def _everything(client) -> dict:
    services = (await client.get("/services", params={"per_page": 100})).json()["contents"]
    orgs = (await client.get("/organizations", params={"per_page": 100})).json()["contents"]
    return _without_times({
        "services": [(await client.get(f"/services/{s['id']}")).json() for s in services],
        "organizations": [(await client.get(f"/organizations/{o['id']}")).json() for o in orgs],
        "terms": (await client.get("/taxonomy_terms", params={"per_page": 100})).json()["contents"],
        "taxonomies": (await client.get("/taxonomies")).json()["contents"],
    })


async def _totals(client) -> tuple[int, ...]:
    return tuple(
        [
            (await client.get(path)).json()["total_items"]
            for path in ("/services", "/organizations", "/taxonomies", "/taxonomy_terms")
        ]
    )


async def test_the_official_open_referral_uk_example_imports_and_reads_back(signposting, schemas):
    client = signposting.staff
    example = copy.deepcopy(EXAMPLE)
    location = example["service_at_locations"][0]["location"]
    location["latitude"], location["longitude"] = 52.57, -0.24  # the example's 100, 101 are not on Earth
    resp = await client.post(
        "/import", json={"total_items": 1, "contents": [example]}, headers={"X-Changed-By": "Alex"}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json() == {"organizations": 1, "services": 1, "locations": 0, "taxonomies": 0, "taxonomy_terms": 0}

    service = (await client.get(f"/services/{example['id']}")).json()
    schemas.check_oruk("service", service)
    schemas.check_hsds("service.json", service)
    assert service["organization"]["id"] == example["organization"]["id"]
    assert service["schedules"][0]["byday"] == "TH,FR"
    assert service["cost_options"][0]["amount"] == 35
    assert service["service_at_locations"][0]["location"]["addresses"][0]["city"] == "MyCity"
    assert service["attributes"][0]["taxonomy_term"]["id"] == example["attributes"][0]["taxonomy_term"]["id"]
    history = (await client.get(f"/history/{example['id']}")).json()
    assert history[0]["updated_by"] == "import by Alex"

    # Importing the same feed again changes nothing, and adds no history.
    assert (await client.post("/import", json=[example])).status_code == 200
    assert len((await client.get(f"/history/{example['id']}")).json()) == len(history)
    assert (await _totals(client))[:2] == (1, 1)


async def test_a_feed_with_any_bad_row_imports_nothing_and_says_where(signposting):
    client = signposting.staff
    good = copy.deepcopy(EXAMPLE)
    good["service_at_locations"][0]["location"]["latitude"] = 52.2
    good["service_at_locations"][0]["location"]["longitude"] = 0.1
    bad = {
        "id": "8a2b6a0e-1a62-4bd5-9a77-1a3cb5a7f0a1",
        "status": "open",
        "organization": {"name": "X", "description": "Y"},
    }
    resp = await client.post(
        "/import", json={"services": [good, bad], "taxonomies": [{"name": "Needs", "description": "d"}]}
    )
    assert resp.status_code == 422
    body = resp.json()
    assert body["detail"].startswith("Nothing was imported: 2 problems")
    assert [(e["source"], e["row"], e["field"]) for e in body["errors"]] == [
        ("services", 2, "name"),
        ("services", 2, "status"),
    ]
    assert await _totals(client) == (0, 0, 0, 0)

    # A problem found while writing (one schedule id under two services) rolls back what came before.
    twin = copy.deepcopy(good)
    twin["id"], twin["organization"]["id"] = (
        "6f1c8f0e-5d2b-4c3e-8a1f-2b3c4d5e6f70",
        "7a1c8f0e-5d2b-4c3e-8a1f-2b3c4d5e6f71",
    )
    resp = await client.post(
        "/import", json={"taxonomies": [{"name": "Needs", "description": "d"}], "services": [good, twin]}
    )
    assert resp.status_code == 422, resp.text
    assert [(e["source"], e["row"]) for e in resp.json()["errors"]] == [("services", 2)]
    assert await _totals(client) == (0, 0, 0, 0)

    missing = {
        "id": "9b2b6a0e-1a62-4bd5-9a77-1a3cb5a7f0a2",
        "name": "Orphan",
        "organization_id": "00000000-0000-4000-8000-000000000000",
    }
    resp = await client.post("/import", json=[missing])
    assert resp.status_code == 422
    assert (
        resp.json()["errors"][0]["field"] == "organization_id"
        and "no organisation" in resp.json()["errors"][0]["message"]
    )
    assert (await client.post("/import", json={"something": "else"})).status_code == 422
    assert (
        await client.post("/import", json=[{"id": "not-a-uuid", "name": "X", "organization_id": "x"}])
    ).status_code == 422


async def test_an_exported_directory_imports_into_another_unchanged_as_json_and_as_csv(signposting, seed, settings):
    await seed(signposting.staff)
    await signposting.staff.post(
        "/community-groups", json={"name": "Ramsey Friends", "areas": ["Ramsey"], "phone": "01487 000000"}
    )
    original = await _everything(signposting.staff)
    exported = (await signposting.staff.get("/export")).json()
    assert exported["version"] == "HSDS-UK-3.0" and len(exported["services"]) == 6  # with the group's listing
    archive = await signposting.staff.get("/export.zip")
    assert archive.headers["content-type"] == "application/zip"

    async with run_service(create_app, await settings("signposting_json")) as copy_json:
        resp = await copy_json.staff.post("/import", json=exported)
        assert resp.status_code == 200, resp.text
        assert await _everything(copy_json.client) == original

    async with run_service(create_app, await settings("signposting_csv")) as copy_csv:
        resp = await copy_csv.staff.post(
            "/import/csv", content=archive.content, headers={"Content-Type": "application/zip"}
        )
        assert resp.status_code == 200, resp.text
        assert resp.json()["services"] == 6
        assert await _everything(copy_csv.client) == original


def _edit_csv(archive: bytes, name: str, edit) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(archive))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            data = source.read(info).decode()
            if info.filename == name:
                rows = list(csv.DictReader(io.StringIO(data)))
                edit(rows)
                text = io.StringIO()
                writer = csv.DictWriter(text, fieldnames=list(rows[0]))
                writer.writeheader()
                writer.writerows(rows)
                data = text.getvalue()
            target.writestr(info.filename, data)
    return out.getvalue()


async def test_a_csv_import_with_bad_rows_names_the_file_row_and_field_and_imports_nothing(signposting, seed, settings):
    await seed(signposting.staff)
    archive = (await signposting.staff.get("/export.zip")).content

    def spoil(rows):
        rows[0]["name"] = ""
        rows[2]["status"] = "bogus"

    def spoil_schedule(rows):
        rows[1]["byday"] = "Mondays"

    bad = _edit_csv(_edit_csv(archive, "services.csv", spoil), "schedules.csv", spoil_schedule)
    async with run_service(create_app, await settings("signposting_bad_csv")) as target:
        resp = await target.staff.post("/import/csv", content=bad, headers={"Content-Type": "application/zip"})
        assert resp.status_code == 422, resp.text
        problems = [(e["source"], e["row"], e["field"]) for e in resp.json()["errors"]]
        assert problems == [("schedules.csv", 3, "byday"), ("services.csv", 2, "name"), ("services.csv", 4, "status")]
        assert await _totals(target.client) == (0, 0, 0, 0)
        not_zip = await target.staff.post(
            "/import/csv", content=b"name,id\n", headers={"Content-Type": "application/zip"}
        )
        assert not_zip.status_code == 422 and "not a zip" in not_zip.json()["detail"] + json.dumps(
            not_zip.json()["errors"]
        )
