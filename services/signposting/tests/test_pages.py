"""The service's pages over HTTP: the public finds a local group; staff keep the directory, signpost
people and read the unmet need; every staff page and route refuses the public and other roles."""

import copy
import json
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import update

from signposting.store import services

from .pages_helpers import csrf_from, errors_in, post_form, signed_in, visitor

EXAMPLE = json.loads((Path(__file__).parent / "standards" / "oruk-profile" / "example_service_full.json").read_text())


async def _audit(svc, action: str) -> list[dict]:
    return (await svc.staff.get("/audit-log", params={"action": action})).json()["items"]


async def test_the_start_page_is_for_people_and_the_open_referral_answer_stays_for_programs(signposting):
    page = await visitor(signposting).get("/")
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert page.text.count("<h1") == 1 and "Find a local group or service" in page.text
    assert 'action="/find-a-group"' in page.text and "Signpost someone" not in page.text
    info = await signposting.client.get("/", headers={"Origin": "https://another-council.example"})
    assert info.json()["version"] == "HSDS-UK-3.0"
    assert info.headers["access-control-allow-origin"] == "*"
    staff = await signed_in(signposting, "staff")
    assert "Signpost someone" in (await staff.get("/")).text


async def test_the_public_finds_groups_by_postcode_district_area_or_need(signposting, seed):
    ids = await seed(signposting.staff)
    await signposting.staff.post("/community-groups", json={"name": "Wisbech Knit and Natter", "areas": ["Wisbech"]})
    browser = visitor(signposting)

    pe13 = (await browser.get("/find-a-group", params={"where": "PE13"})).text
    assert "Wisbech Wellbeing Cafe" in pe13 and "Countywide Listening Line" in pe13
    assert "Peterborough Anxiety Support" not in pe13
    assert "Mondays, 10am to midday" in pe13 and "01945 000000" in pe13 and "Wisbech Library" in pe13
    assert "Wisbech Knit and Natter" in pe13  # a group with no sessions listed yet
    cambridge = (await browser.get("/find-a-group", params={"where": "Cambridge"})).text
    assert "Cambridge Hearing Voices Group" in cambridge and "Wisbech Wellbeing Cafe" not in cambridge
    carers = (await browser.get("/find-a-group", params={"need": ids["Carers"]})).text
    assert "March Carers Group" in carers and "Wisbech Wellbeing Cafe" not in carers
    assert "1 result" in carers
    words = (await browser.get("/find-a-group", params={"words": "hearing voices"})).text
    assert "Cambridge Hearing Voices Group" in words

    outside = await browser.get("/find-a-group", params={"where": "SW1A"})
    assert outside.status_code == 422
    assert "Cambridgeshire or Peterborough" in errors_in(outside.text)[0]
    assert 'href="#where"' in outside.text

    service = await browser.get(f"/find-a-group/services/{ids['wisbech']}")
    assert service.status_code == 200
    for text in ("Wisbech Wellbeing Cafe", "Step-free", "Polish", "PE13 1EU", "Free", "Fenland Wellbeing Network"):
        assert text in service.text, text
    group = await browser.get(f"/find-a-group/groups/{ids['org']}")
    assert group.status_code == 200
    assert all(
        name in group.text
        for name in ("Cambridge Hearing Voices Group", "Countywide Listening Line", "hello@fenland-wellbeing.example")
    )
    missing = await browser.get("/find-a-group/services/00000000-0000-4000-8000-000000000000")
    assert missing.status_code == 404 and "text/html" in missing.headers["content-type"]


async def test_only_staff_searches_count_as_unmet_need(signposting, seed):
    await seed(signposting.staff)
    for _ in range(3):  # anyone can repeat a search: none of these may count
        assert (
            "No groups or services found"
            in (await visitor(signposting).get("/find-a-group", params={"where": "PE1", "words": "gambling"})).text
        )
        assert (await signposting.client.get("/services", params={"search": "gambling", "postcode": "PE1"})).json()[
            "empty"
        ]
    report = (await signposting.staff.get("/reports/signposting")).json()
    assert report["unmet_need"]["searches_found_nothing"] == [] and report["unmet_need"]["search_words"] == []

    staff = await signed_in(signposting, "staff")
    search = "/staff/signposting?where=PE1&words=gambling"
    assert "Record that nothing met this need" in (await staff.get(search)).text
    recorded = await post_form(staff, "/staff/signposting/unmet-need", {"where": "PE1", "words": "gambling"}, search)
    assert recorded.status_code == 303
    report = (await signposting.staff.get("/reports/signposting")).json()
    assert [(r["area"], r["need"], r["count"]) for r in report["unmet_need"]["search_words"]] == [
        ("PE1", "gambling", 1)
    ]
    shown = (await staff.get("/staff/unmet-need")).text
    assert "gambling" in shown and "Staff searches that found nothing" in shown


async def test_staff_record_a_signposting_from_a_search_without_anything_personal(signposting, seed):
    ids = await seed(signposting.staff)
    staff = await signed_in(signposting, "staff")
    search = f"/staff/signposting?where=PE13&need={ids['Loneliness']}"
    page = await staff.get(search)
    assert "Wisbech Wellbeing Cafe" in page.text and 'name="service_ids"' in page.text

    bad = await post_form(
        staff, search, {"area": "PE13", "needs": [ids["Loneliness"]], "other_need": "call jo on 07700 900123"}
    )
    assert bad.status_code == 422
    assert any("phone" in e for e in errors_in(bad.text)) and 'href="#other_need"' in bad.text

    done = await post_form(
        staff,
        search,
        {"area": "pe13 2ab", "needs": [ids["Loneliness"]], "service_ids": [ids["wisbech"], ids["helpline"]]},
    )
    assert done.status_code == 303 and done.headers["location"] == "/staff/signposting/records"
    nothing = await post_form(staff, "/staff/signposting?words=gambling", {"area": "PE1", "other_need": "gambling"})
    assert nothing.status_code == 303
    records = (await staff.get("/staff/signposting/records")).text
    assert "Recorded as unmet need" in records
    assert (
        "PE13" in records
        and "PE13 2AB" not in records
        and "Wisbech Wellbeing Cafe, Countywide Listening Line" in records
    )
    assert "Nothing fitted" in records
    entries = await _audit(signposting, "signposting.recorded")
    assert (
        len(entries) == 2
        and entries[0]["actor"].startswith("account:")
        and entries[0]["target"].startswith("signposting:")
    )


async def test_staff_add_change_and_withdraw_a_community_group(signposting):
    staff = await signed_in(signposting, "staff")
    empty = await post_form(staff, "/staff/community-groups/new", {"name": "", "areas": "", "email": "not an email"})
    assert empty.status_code == 422
    assert errors_in(empty.text) == [
        "Enter the group's name",
        "Enter at least one area it covers, like Wisbech or PE13",
        "Enter an email address in the correct format, like name@example.com",
    ]

    added = await post_form(
        staff,
        "/staff/community-groups/new",
        {
            "name": "St Ives Sanctuary",
            "description": "A quiet space to talk.",
            "areas": "St Ives\nPE27",
            "phone": "01632 960111",
        },
    )
    assert added.status_code == 303
    group_id = added.headers["location"].rsplit("/", 1)[-1]
    page = (await staff.get(added.headers["location"])).text
    assert "St Ives Sanctuary is in the directory" in page and "PE27, St Ives" in page
    assert [g["name"] for g in (await signposting.staff.get("/community-groups", params={"area": "PE27"})).json()] == [
        "St Ives Sanctuary"
    ]

    edit = f"/staff/organizations/{group_id}/edit"
    assert "St Ives\nPE27" in (await staff.get(edit)).text or "PE27\nSt Ives" in (await staff.get(edit)).text
    changed = await post_form(
        staff, edit, {"name": "St Ives Evening Sanctuary", "areas": "St Ives, Huntingdon", "phone": "01632 960111"}
    )
    assert changed.status_code == 303
    group = (await signposting.staff.get(f"/community-groups/{group_id}")).json()
    assert (group["name"], group["areas"], group["description"]) == (
        "St Ives Evening Sanctuary",
        ["Huntingdon", "St Ives"],
        "St Ives Evening Sanctuary is listed in the Cambridgeshire and Peterborough directory: "
        "contact them to find out more.",  # Open Referral UK requires a description
    )

    withdrawn = await post_form(staff, f"/staff/organizations/{group_id}/withdraw", {})
    assert withdrawn.status_code == 303
    assert (await signposting.staff.get(f"/community-groups/{group_id}")).json()["status"] == "withdrawn"
    assert "Withdrawn as a community group" in (await staff.get(f"/staff/organizations/{group_id}")).text
    again = await post_form(staff, f"/staff/organizations/{group_id}/community-group", {"areas": "St Ives"})
    assert again.status_code == 303
    assert (await signposting.staff.get(f"/community-groups/{group_id}")).json()["status"] == "active"
    actions = [
        e["action"]
        for e in (await signposting.staff.get("/audit-log")).json()["items"]
        if e["target"] == f"organization:{group_id}"
    ]
    assert actions == [
        "community_group.registered",
        "community_group.withdrawn",
        "community_group.changed",
        "community_group.registered",
    ]

    listed = (await staff.get("/staff/directory", params={"search": "sanctuary"})).text
    assert "St Ives Evening Sanctuary" in listed


async def test_staff_add_an_organisation_and_a_service_with_when_and_where(signposting, seed):
    ids = await seed(signposting.staff)
    staff = await signed_in(signposting, "staff")
    org = await post_form(staff, "/staff/organizations/new", {"name": "Ramsey Lunch Club", "website": "ramsey.example"})
    assert org.status_code == 422 and "http" in errors_in(org.text)[0]
    org = await post_form(staff, "/staff/organizations/new", {"name": "Ramsey Lunch Club", "phone": "01632 960444"})
    assert org.status_code == 303
    org_id = org.headers["location"].rsplit("/", 1)[-1]
    renamed = await post_form(
        staff, f"/staff/organizations/{org_id}/edit", {"name": "Ramsey Lunch Club CIO", "phone": "01632 960445"}
    )
    assert renamed.status_code == 303
    listed = (await signposting.client.get(f"/organizations/{org_id}")).json()
    assert (listed["name"], [p["number"] for p in listed["phones"]]) == ("Ramsey Lunch Club CIO", ["01632 960445"])
    assert [e["target"] for e in await _audit(signposting, "directory.organization_changed")] == [
        f"organization:{org_id}"
    ]

    new = f"/staff/services/new?organization_id={org_id}"
    bad = await post_form(staff, new, {"name": "Thursday lunch", "opens_at": "noon", "address_1": "1 Great Whyte"})
    assert bad.status_code == 422
    assert set(errors_in(bad.text)) >= {
        "Enter the start time like 10:00 or 14:30",
        "Enter the town",
        "Enter the postcode, like PE13 1EU",
    }
    good = {
        "name": "Thursday lunch",
        "description": "A hot meal and company.",
        "needs": [ids["Loneliness"]],
        "areas": "Ramsey\nPE26",
        "days": ["TH"],
        "opens_at": "12:00",
        "closes_at": "13:30",
        "place": "Ramsey Town Hall",
        "address_1": "1 Great Whyte",
        "town": "Ramsey",
        "postcode": "PE26 1HF",
        "phone": "01632 960444",
    }
    assert (await post_form(staff, new, good)).status_code == 303

    found = (await signposting.client.get("/services", params={"postcode": "PE26", "search": "lunch"})).json()[
        "contents"
    ]
    assert [s["name"] for s in found] == ["Thursday lunch"]
    service = (await signposting.client.get(f"/services/{found[0]['id']}")).json()
    assert service["schedules"][0]["byday"] == "TH" and service["schedules"][0]["closes_at"] == "13:30:00"
    assert service["service_at_locations"][0]["location"]["addresses"][0]["postal_code"] == "PE26 1HF"
    assert (
        "Thursdays, midday to 1:30pm"
        in (await visitor(signposting).get(f"/find-a-group/services/{found[0]['id']}")).text
    )

    # Changing a service on the page keeps what the page does not show, such as the place's access.
    edit = f"/staff/services/{ids['peterborough']}/edit"
    form = (await staff.get(edit)).text
    assert 'value="Peterborough Anxiety Support"' in form and 'value="PE1 1RX"' in form
    before = (await signposting.client.get(f"/services/{ids['peterborough']}")).json()
    changed = await post_form(
        staff,
        edit,
        {
            "name": "Peterborough Anxiety Group",
            "status": "active",
            "needs": [ids["Anxiety"]],
            "areas": "Peterborough",
            "days": ["WE"],
            "opens_at": "10:00",
            "closes_at": "12:00",
            "place": "Peterborough Central Library",
            "address_1": "1 Peterborough Central Library Street",
            "town": "Peterborough",
            "postcode": "PE1 1RX",
        },
    )
    assert changed.status_code == 303, errors_in(changed.text)
    after = (await signposting.client.get(f"/services/{ids['peterborough']}")).json()
    assert after["name"] == "Peterborough Anxiety Group"
    assert after["service_at_locations"][0]["location_id"] == before["service_at_locations"][0]["location_id"]
    assert after["service_at_locations"][0]["location"]["accessibility"][0]["description"] == "Lift to all floors"
    assert after["languages"] == before["languages"]
    assert [e["target"] for e in await _audit(signposting, "directory.service_changed")] == [
        f"service:{ids['peterborough']}"
    ]


async def test_staff_add_a_need_that_services_and_searches_can_use(signposting):
    staff = await signed_in(signposting, "staff")
    empty = await post_form(staff, "/staff/needs", {"name": ""})
    assert empty.status_code == 422 and errors_in(empty.text) == ["Enter the need, like Bereavement"]
    assert (await post_form(staff, "/staff/needs", {"name": "Bereavement"})).status_code == 303
    parent = (await signposting.client.get("/taxonomy_terms", params={"search": "bereavement"})).json()["contents"][0]
    assert (
        await post_form(staff, "/staff/needs", {"name": "Losing a child", "parent_id": parent["id"]})
    ).status_code == 303
    child = (await signposting.client.get("/taxonomy_terms", params={"search": "child"})).json()["contents"][0]
    assert child["parent_id"] == parent["id"] and child["taxonomy"] == "Partnership Forum needs"
    assert "Bereavement: Losing a child" in (await visitor(signposting).get("/find-a-group")).text
    assert len(await _audit(signposting, "directory.need_added")) == 2


async def test_staff_mark_listings_nobody_checked_for_a_year_as_checked(signposting, seed):
    ids = await seed(signposting.staff)
    async with signposting.db.transaction() as session:
        await session.execute(
            update(services)
            .where(services.c.id == ids["march"])
            .values(assured_date=date.today() - timedelta(days=400))
        )
    staff = await signed_in(signposting, "staff")
    page = (await staff.get("/staff/listings")).text
    assert "March Carers Group" in page and "Wisbech Wellbeing Cafe" not in page
    done = await post_form(staff, f"/staff/listings/service/{ids['march']}/checked", {}, page="/staff/listings")
    assert done.status_code == 303
    assert "Every listing has been checked" in (await staff.get("/staff/listings")).text
    assert [e["target"] for e in await _audit(signposting, "directory.listing_checked")] == [f"service:{ids['march']}"]


async def test_staff_import_and_export_the_directory(signposting, seed):
    await seed(signposting.staff)
    staff = await signed_in(signposting, "staff")
    assert 'href="/export.zip"' in (await staff.get("/staff/transfer")).text
    exported = await staff.get("/export")
    assert exported.status_code == 200 and len(exported.json()["services"]) == 5

    token = csrf_from((await staff.get("/staff/transfer")).text)
    bad = await staff.post(
        "/staff/transfer",
        data={"csrf_token": token},
        files={"file": ("feed.json", json.dumps([{"name": "No owner"}]).encode(), "application/json")},
    )
    assert bad.status_code == 422 and "Nothing was imported" in bad.text and "Problems found" in bad.text
    none = await staff.post("/staff/transfer", data={"csrf_token": token})
    assert none.status_code == 422 and errors_in(none.text) == ["Select a JSON or zip file to import"]
    example = copy.deepcopy(EXAMPLE)
    example["service_at_locations"][0]["location"] |= {
        "latitude": 52.57,
        "longitude": -0.24,
    }  # 100, 101 are not on Earth
    good = await staff.post(
        "/staff/transfer",
        data={"csrf_token": token},
        files={"file": ("feed.json", json.dumps([example]).encode(), "application/json")},
    )
    assert good.status_code == 303
    assert "Imported" in (await staff.get("/staff/transfer")).text
    assert (await signposting.client.get(f"/services/{EXAMPLE['id']}")).status_code == 200
    assert (await _audit(signposting, "directory.imported"))[0]["details"]["services"] == 1


STAFF_PAGES = [
    "/staff/directory",
    "/staff/organizations/{org}",
    "/staff/organizations/{org}/edit",
    "/staff/community-groups/new",
    "/staff/organizations/new",
    "/staff/services/new?organization_id={org}",
    "/staff/services/{wisbech}/edit",
    "/staff/listings",
    "/staff/signposting",
    "/staff/signposting/records",
    "/staff/unmet-need",
    "/staff/transfer",
    "/staff/organizations/{org}/community-group",
    "/staff/needs",
]
STAFF_POSTS = [
    "/staff/community-groups/new",
    "/staff/organizations/new",
    "/staff/organizations/{org}/edit",
    "/staff/services/new?organization_id={org}",
    "/staff/services/{wisbech}/edit",
    "/staff/listings/service/{wisbech}/checked",
    "/staff/signposting",
    "/staff/signposting/unmet-need",
    "/staff/transfer",
    "/staff/organizations/{org}/community-group",
    "/staff/organizations/{org}/withdraw",
    "/staff/needs",
]
STAFF_API = [
    ("POST", "/organizations"),
    ("PATCH", "/organizations/{org}"),
    ("POST", "/organizations/{org}/verify"),
    ("POST", "/locations"),
    ("GET", "/locations/{location}"),
    ("PATCH", "/locations/{location}"),
    ("POST", "/services"),
    ("PATCH", "/services/{wisbech}"),
    ("POST", "/services/{wisbech}/verify"),
    ("GET", "/stale-listings"),
    ("GET", "/history/{wisbech}"),
    ("POST", "/taxonomies"),
    ("POST", "/taxonomy_terms"),
    ("POST", "/community-groups"),
    ("GET", "/community-groups"),
    ("GET", "/community-groups/{org}"),
    ("PATCH", "/community-groups/{org}"),
    ("DELETE", "/community-groups/{org}"),
    ("PUT", "/organizations/{org}/community-group"),
    ("POST", "/signpostings"),
    ("POST", "/unmet-searches"),
    ("GET", "/reports/signposting"),
    ("POST", "/import"),
    ("POST", "/import/csv"),
    ("GET", "/export"),
    ("GET", "/export.zip"),
]


async def test_every_staff_page_and_route_refuses_the_public_and_governors(signposting, seed):
    ids = await seed(signposting.staff)
    ids["location"] = (await signposting.client.get(f"/services/{ids['wisbech']}")).json()["service_at_locations"][0][
        "location_id"
    ]
    public, governor_page = visitor(signposting), await signed_in(signposting, "governor")
    for path in (p.format(**ids) for p in STAFF_PAGES):
        resp = await public.get(path)
        assert resp.status_code == 303 and resp.headers["location"].startswith("/sign-in?next="), path
        assert (await governor_page.get(path)).status_code == 403, path
    token = csrf_from((await governor_page.get("/")).text)
    for path in (p.format(**ids) for p in STAFF_POSTS):
        assert (await public.post(path, data={"name": "x"})).status_code in (401, 403), path
        assert (await governor_page.post(path, data={"csrf_token": token, "name": "x"})).status_code == 403, path
    for method, path in STAFF_API:
        url = path.format(**ids)
        assert (await signposting.client.request(method, url, json={})).status_code == 401, url
        assert (await signposting.governor.request(method, url, json={})).status_code == 403, url
    # The Open Referral UK API stays open.
    for path in (
        "/",
        "/services",
        f"/services/{ids['wisbech']}",
        "/organizations",
        f"/organizations/{ids['org']}",
        "/taxonomies",
        "/taxonomy_terms",
        f"/taxonomy_terms/{ids['Carers']}",
    ):
        assert (await signposting.client.get(path)).status_code == 200, path


async def test_a_form_posted_without_its_csrf_token_is_refused(signposting):
    staff = await signed_in(signposting, "staff")
    resp = await staff.post("/staff/community-groups/new", data={"name": "Forged Group", "areas": "Ely"})
    assert resp.status_code == 403
    assert (await signposting.staff.get("/community-groups")).json() == []


async def test_the_unmet_need_page_checks_its_dates(signposting):
    staff = await signed_in(signposting, "staff")
    bad = await staff.get("/staff/unmet-need", params={"since": "last week"})
    assert bad.status_code == 422 and errors_in(bad.text) == ["Enter a real date, like 2026-11-01"]
    backwards = await staff.get("/staff/unmet-need", params={"since": "2026-12-01", "until": "2026-11-01"})
    assert backwards.status_code == 422 and "on or after its start" in backwards.text
