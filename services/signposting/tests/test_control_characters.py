"""Invisible control characters (a NUL byte, an escape) are refused wherever people or programs send
text: JSON bodies, forms, imports and search words, each refusal naming the field (for an import,
the file, row and field). Nothing with one in it is stored."""

import csv
import io
import zipfile

from .pages_helpers import errors_in, post_form, signed_in, visitor

NUL = "\x00"
ADDRESS = {"address_1": "1 High St", "city": "Ely", "state_province": "Cambridgeshire", "country": "GB"}


def _fields(resp) -> list[str]:
    return [e["field"] for e in resp.json()["errors"]]


async def test_a_nul_byte_in_an_organisation_is_refused_and_nothing_is_stored(signposting):
    client = signposting.staff
    resp = await client.post("/organizations", json={"name": f"Fenland{NUL} Wellbeing", "description": "Peer support"})
    assert resp.status_code == 422 and _fields(resp) == ["name"], resp.text
    assert "control characters" in resp.json()["detail"]
    resp = await client.post("/organizations", json={"name": "Fenland", "phones": [{"number": f"01945 {NUL}000000"}]})
    assert resp.status_code == 422 and _fields(resp) == ["phones.0.number"]
    assert (await client.get("/organizations")).json()["total_items"] == 0

    made = (await client.post("/organizations", json={"name": "Fenland", "description": "Line one\nLine two"})).json()
    assert made["description"] == "Line one\nLine two"  # a description may run over several lines
    changed = await client.patch(f"/organizations/{made['id']}", json={"name": "Fen\nland"})
    assert changed.status_code == 422 and _fields(changed) == ["name"]  # a name is one line
    escape = await client.patch(f"/organizations/{made['id']}", json={"description": "\x1b[31mred"})
    assert escape.status_code == 422 and _fields(escape) == ["description"]


async def test_every_kind_of_body_refuses_control_characters_by_field(signposting, seed):
    ids = await seed(signposting.staff)
    client = signposting.staff
    for method, path, body, field in (
        ("POST", "/community-groups", {"name": "Knit", "areas": [f"Wis{NUL}bech"]}, "areas.0"),
        ("POST", "/community-groups", {"name": "Knit", "areas": ["Wisbech"], "phone": f"0{NUL}1945"}, "phone"),
        ("PATCH", f"/community-groups/{ids['org']}", {"description": f"a{NUL}"}, "description"),
        ("PUT", f"/organizations/{ids['org']}/community-group", {"areas": [f"Ely{NUL}"]}, "areas.0"),
        ("POST", "/signpostings", {"needs": [f"gambling{NUL}"]}, "needs.0"),
        ("POST", "/signpostings", {"area": f"PE1{NUL}"}, "area"),
        ("POST", "/unmet-searches", {"search": f"gambling{NUL}"}, "search"),
        ("POST", "/taxonomy_terms", {"name": f"Debt{NUL}"}, "name"),
        ("POST", "/taxonomies", {"name": "Needs", "uri": f"https://example.org/{NUL}"}, "uri"),
        ("POST", "/locations", {"name": "Hall", "addresses": [ADDRESS | {"postal_code": f"CB7{NUL}4"}]},
         "addresses.0.postal_code"),
        ("PATCH", f"/services/{ids['wisbech']}", {"service_areas": [{"name": f"Fen{NUL}"}]}, "service_areas.0.name"),
        ("PATCH", f"/services/{ids['wisbech']}", {"schedules": [{"byday": f"MO{NUL}"}]}, "schedules.0.byday"),
        ("PATCH", f"/services/{ids['wisbech']}", {"languages": [{"code": f"pl{NUL}"}]}, "languages.0.code"),
    ):
        resp = await client.request(method, path, json=body)
        assert resp.status_code == 422, (path, body, resp.text)
        assert _fields(resp) == [field], (path, resp.text)
    service = (await client.get(f"/services/{ids['wisbech']}")).json()
    assert NUL not in str(service)


async def test_search_words_with_control_characters_get_a_422_naming_the_parameter(signposting):
    for path, name in (
        ("/services", "search"),
        ("/services", "area"),
        ("/services", "language"),
        ("/services", "accessibility"),
        ("/services", "day"),
        ("/organizations", "search"),
        ("/taxonomy_terms", "search"),
    ):
        resp = await signposting.client.get(path, params={name: f"walk{NUL}ing"})
        assert resp.status_code == 422 and _fields(resp) == [name], (path, name, resp.text)
    resp = await signposting.staff.get("/community-groups", params={"search": "knit\x1b"})
    assert resp.status_code == 422 and _fields(resp) == ["search"]

    page = await visitor(signposting).get("/find-a-group", params={"words": f"walk{NUL}ing"})
    assert page.status_code == 422 and 'href="#words"' in page.text
    assert "control characters" in errors_in(page.text)[0]
    staff = await signed_in(signposting, "staff")
    for path, name in (("/staff/signposting", "where"), ("/staff/directory", "search")):
        shown = await staff.get(path, params={name: f"Ely{NUL}"})
        assert shown.status_code == 422 and f'href="#{name}"' in shown.text, (path, shown.text)


async def test_forms_show_the_refusal_beside_the_field(signposting):
    staff = await signed_in(signposting, "staff")
    resp = await post_form(staff, "/staff/community-groups/new", {"name": f"Knit{NUL} and Natter", "areas": "Ely"})
    assert resp.status_code == 422 and 'href="#name"' in resp.text
    assert any("control characters" in e for e in errors_in(resp.text))
    resp = await post_form(staff, "/staff/needs", {"name": "Debt", "description": f"Money {NUL}worries"})
    assert resp.status_code == 422 and 'href="#description"' in resp.text
    assert (await signposting.staff.get("/community-groups")).json() == []


def _zip(files: dict[str, list[dict]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, rows in files.items():
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=list(rows[0]))
            writer.writeheader()
            writer.writerows(rows)
            archive.writestr(name, out.getvalue())
    return buffer.getvalue()


async def test_an_import_with_a_control_character_names_the_file_row_and_field(signposting):
    client = signposting.staff
    feed = {"organizations": [{"name": "Good"}, {"name": f"Bad{NUL}", "description": "x"}]}
    resp = await client.post("/import", json=feed)
    assert resp.status_code == 422
    assert [(e["source"], e["row"], e["field"]) for e in resp.json()["errors"]] == [("organizations", 2, "name")]

    org = "0b0f2e9c-8d51-4c0a-9a61-0a9a0a0a0a01"
    data = _zip({
        "organizations.csv": [{"id": org, "name": "Fenland Friends", "description": f"Walks{NUL}"}],
        "services.csv": [{"id": "0b0f2e9c-8d51-4c0a-9a61-0a9a0a0a0a02", "organization_id": org, "name": "Walk\x07"}],
    })
    resp = await client.post("/import/csv", content=data, headers={"Content-Type": "application/zip"})
    assert resp.status_code == 422
    assert [(e["source"], e["row"], e["field"]) for e in resp.json()["errors"]] == [
        ("organizations.csv", 2, "description"),
        ("services.csv", 2, "name"),
    ]
    assert (await client.get("/organizations")).json()["total_items"] == 0
