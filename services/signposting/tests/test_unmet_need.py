"""Unmet need is recorded only when staff say so, by a POST: a search (a GET) changes nothing, even
with a staff session cookie a link on another site could send along. No GET route writes anything."""

import re

from sqlalchemy import select
from starlette.routing import Route

from forum_shared.outbox import pending_count
from forum_shared.tables import audit_log, outbox
from forum_shared.testing import wait_for
from signposting.store import metadata

from .pages_helpers import csrf_from, errors_in, post_form, signed_in, visitor


async def _unmet(svc) -> dict:
    return (await svc.staff.get("/reports/signposting")).json()["unmet_need"]


async def test_a_search_by_signed_in_staff_records_nothing(signposting, seed):
    await seed(signposting.staff)
    staff = await signed_in(signposting, "staff")  # the session cookie goes along with a link from anywhere
    for _ in range(2):
        found = await staff.get("/services", params={"search": "gambling", "postcode": "PE1"})
        assert found.status_code == 200 and found.json()["empty"]
        assert (await signposting.staff.get("/services", params={"search": "gambling", "postcode": "PE1"})).json()[
            "empty"
        ]
        page = await staff.get("/staff/signposting", params={"where": "PE1", "words": "gambling"})
        assert "Nothing found" in page.text
    assert await _unmet(signposting) == {"signposted_to_nothing": [], "searches_found_nothing": [], "search_words": []}


async def test_staff_record_a_search_that_found_nothing_with_the_button_on_its_results(signposting, seed):
    await seed(signposting.staff)
    staff = await signed_in(signposting, "staff")
    search = "/staff/signposting?where=PE1&words=gambling"
    page = (await staff.get(search)).text
    form = re.search(r'<form method="post" action="/staff/signposting/unmet-need".*?</form>', page, re.S)
    assert form and "Record that nothing met this need" in form.group(0) and 'name="csrf_token"' in form.group(0)

    forged = await staff.post("/staff/signposting/unmet-need", data={"where": "PE1", "words": "gambling"})
    assert forged.status_code == 403  # without the page's CSRF token
    assert (await _unmet(signposting))["searches_found_nothing"] == []

    done = await post_form(staff, "/staff/signposting/unmet-need", {"where": "PE1", "words": "gambling"}, page=search)
    assert done.status_code == 303 and done.headers["location"] == "/staff/signposting?where=PE1&words=gambling"
    assert "Recorded as unmet need" in (await staff.get(done.headers["location"])).text
    unmet = await _unmet(signposting)
    assert [(r["area"], r["count"]) for r in unmet["searches_found_nothing"]] == [("PE1", 1)]
    assert [(r["area"], r["need"]) for r in unmet["search_words"]] == [("PE1", "gambling")]
    shown = (await staff.get("/staff/unmet-need")).text
    assert "gambling" in shown and "Staff searches that found nothing" in shown
    entries = (await signposting.staff.get("/audit-log", params={"action": "signposting.unmet_need_recorded"})).json()
    assert len(entries["items"]) == 1 and entries["items"][0]["target"].startswith("unmet_search:")

    # A search that finds something is not unmet need: the page says what to do instead.
    found = await post_form(staff, "/staff/signposting/unmet-need", {"where": "PE13"}, page=search)
    assert found.status_code == 422 and "record a signposting" in found.text
    outside = await post_form(staff, "/staff/signposting/unmet-need", {"where": "SW1A"}, page=search)
    assert outside.status_code == 422 and "Cambridgeshire or Peterborough" in errors_in(outside.text)[0]
    assert len((await _unmet(signposting))["searches_found_nothing"]) == 1


async def test_a_program_with_a_staff_token_records_unmet_need_by_a_json_post(signposting, seed):
    ids = await seed(signposting.staff)
    body = {"search": "gambling call 07700 900123", "postcode": "PE1 2XY"}
    resp = await signposting.staff.post("/unmet-searches", json=body)
    assert resp.status_code == 201, resp.text
    record = resp.json()
    assert (record["area"], record["needs"], record["words"]) == ("PE1", [], None)  # the phone number is not kept
    need = await signposting.staff.post("/unmet-searches", json={"taxonomy_term_ids": [ids["Carers"]], "area": "CB4"})
    assert need.status_code == 201 and need.json()["needs"] == [ids["Carers"]]

    for body, words in (
        ({"search": "carers"}, "record a signposting"),
        ({}, "what was needed or where"),
        ({"postcode": "SW1A"}, "not a postcode district this directory covers"),
        ({"search": "gambling", "name": "Jo Bloggs"}, "name"),
    ):
        refused = await signposting.staff.post("/unmet-searches", json=body)
        assert refused.status_code == 422 and words in refused.json()["detail"], (body, refused.text)
    assert (await signposting.client.post("/unmet-searches", json={"search": "gambling"})).status_code == 401
    assert (await signposting.governor.post("/unmet-searches", json={"search": "gambling"})).status_code == 403
    unmet = await _unmet(signposting)
    assert [(r["area"], r["need_name"]) for r in unmet["searches_found_nothing"]] == [("CB4", "Carers"), ("PE1", None)]


def _get_paths(routes) -> list[str]:
    """Every GET route of the app, the kit's included, through the routers it includes."""
    paths = []
    for route in routes:
        if hasattr(route, "original_router"):
            paths += _get_paths(route.original_router.routes)
        elif isinstance(route, Route) and "GET" in (route.methods or ()):
            paths.append(route.path)
    return sorted(set(paths))


async def _snapshot(db) -> dict[str, list]:
    tables = [*metadata.sorted_tables, audit_log, outbox]
    async with db.read() as session:
        return {t.name: sorted(map(repr, (await session.execute(select(t))).all())) for t in tables}


async def test_no_get_route_writes_anything_even_for_signed_in_staff(signposting, seed):
    ids = await seed(signposting.staff)
    group = await signposting.staff.post("/community-groups", json={"name": "Knit and Natter", "areas": ["Wisbech"]})
    location = (await signposting.client.get(f"/services/{ids['wisbech']}")).json()["service_at_locations"][0]
    values = {
        "service_id": ids["wisbech"], "organization_id": ids["org"], "org_id": group.json()["id"],
        "group_id": group.json()["id"], "location_id": location["location_id"], "resource_id": ids["wisbech"],
        "taxonomy_id": ids["taxonomy"], "term_id": ids["Carers"],
    }
    nothing = {"search": "gambling", "postcode": "PE1", "where": "PE1", "words": "gambling", "area": "PE1"}
    staff = await signed_in(signposting, "staff")

    async def all_published() -> bool:  # the relay, not a GET, marks the rows published
        return await pending_count(signposting.db) == 0

    await wait_for(all_published, what="the seed's events published")
    before = await _snapshot(signposting.db)
    paths = _get_paths(signposting.app.routes)
    for path in paths:
        url = path.format(**{name: values.get(name, "unknown") for name in re.findall(r"{(\w+)}", path)})
        for client in (staff, signposting.staff, visitor(signposting)):
            resp = await client.get(url, params=nothing)
            assert resp.status_code < 500, (url, resp.status_code)
    assert {"/", "/services", "/staff/signposting", "/find-a-group", "/community-groups"} <= set(paths)
    assert await _snapshot(signposting.db) == before
    assert csrf_from((await staff.get("/staff/signposting")).text)  # still signed in
