"""Signposting a person leaves no personal data; the report shows where people were signposted
and where nothing fitted."""

import json

from forum_shared.events import SignpostingGiven
from forum_shared.testing import read_stream, wait_for
from signposting.store import signposting_needs, signpostings, unmet_searches


def test_signposting_tables_and_event_have_no_place_for_personal_data():
    assert set(signpostings.c.keys()) == {"id", "given_at", "area", "needs", "service_ids"}
    assert set(signposting_needs.c.keys()) == {"signposting_id", "need"}
    assert set(unmet_searches.c.keys()) == {"id", "searched_at", "area", "needs", "words"}
    assert set(SignpostingGiven.model_fields) == {"signposting_id", "given_at", "area", "needs", "service_ids"}


async def test_a_signposting_keeps_only_the_district_the_needs_and_the_services(signposting, seed, nats_server):
    ids = await seed(signposting.staff)
    client = signposting.staff
    resp = await client.post(
        "/signpostings",
        json={
            "area": "pe13 2ab",
            "needs": ["Loneliness", "bereavement", ids["Carers"], "loneliness"],
            "service_ids": [ids["wisbech"]],
        },
    )
    assert resp.status_code == 201, resp.text
    record = resp.json()
    assert record["area"] == "PE13"  # a full postcode could point at a household: only its district is kept
    assert record["needs"] == [ids["Loneliness"], "bereavement", ids["Carers"]]
    assert record["service_ids"] == [ids["wisbech"]]

    async def published():
        msgs = await read_stream(nats_server, "SIGNPOSTING", "forum.signposting.signposting_given.v1")
        return [json.loads(m.data) for m in msgs if record["id"].encode() in m.data]

    (event,) = await wait_for(published, what="SignpostingGiven")
    assert set(event) == {"signposting_id", "given_at", "area", "needs", "service_ids"}
    assert (event["area"], event["needs"], event["service_ids"]) == ("PE13", record["needs"], [ids["wisbech"]])
    text = json.dumps(event).upper().replace("-", "")
    assert "PE132AB" not in text.replace(" ", "") and "PE13 2AB" not in text  # ids are random hex


async def test_personal_details_are_refused_with_a_message_saying_why(signposting):
    client = signposting.staff
    for body, words in (
        ({"area": "Fenland", "name": "Jo Bloggs"}, "name"),
        ({"area": "Fenland", "notes": "lives alone"}, "notes"),
        ({"area": "Fenland", "date_of_birth": "1970-01-01"}, "date_of_birth"),
        ({"needs": ["call jo on 07700 900123"]}, "phone"),
        ({"needs": ["email jo@example.org"]}, "email"),
        ({"needs": ["born 01/02/1970"]}, "a date"),
        ({"area": "14 High Street PE13 2AB"}, "full postcode"),
        ({"service_ids": ["00000000-0000-4000-8000-000000000000"]}, "no service"),
        ({"needs": ["x" * 101]}, "needs"),
    ):
        resp = await client.post("/signpostings", json=body)
        assert resp.status_code == 422, (body, resp.text)
        assert words in resp.json()["detail"], resp.json()["detail"]
    async with signposting.db.read() as session:
        assert (await session.execute(signpostings.select())).all() == []


async def test_the_report_shows_signposting_by_area_and_need_and_the_unmet_need(signposting, seed):
    ids = await seed(signposting.staff)
    client = signposting.staff
    for body in (
        {"area": "PE13", "needs": ["Loneliness"], "service_ids": [ids["wisbech"]]},
        {"area": "PE13 1AA", "needs": ["Loneliness"], "service_ids": [ids["helpline"]]},
        {"area": "PE1", "needs": ["Anxiety"], "service_ids": [ids["peterborough"]]},
        {"area": "PE1", "needs": ["gambling"], "service_ids": []},  # nothing fitted
    ):
        assert (await client.post("/signpostings", json=body)).status_code == 201
    # Searches that found nothing, recorded by staff as unmet need; searching alone records nothing.
    for search in (
        {"search": "gambling", "postcode": "PE1 2XY"},
        {"taxonomy_term_ids": [ids["Carers"]], "postcode": "CB4"},
        {"search": "call 07700 900123"},
    ):
        assert (await client.post("/unmet-searches", json=search)).status_code == 201
    assert (await client.get("/services", params={"page": 7})).json()["empty"]

    report = (await client.get("/reports/signposting")).json()
    assert report["signposting_total"] == 4
    assert [(r["area"], r["district"], r["count"]) for r in report["by_area"]] == [
        ("PE1", "Peterborough", 2),
        ("PE13", "Fenland", 2),
    ]
    assert [(r["need_name"], r["count"]) for r in report["by_need"]] == [("Loneliness", 2), ("Anxiety", 1), (None, 1)]
    assert {
        "area": "PE13",
        "district": "Fenland",
        "need": ids["Loneliness"],
        "need_name": "Loneliness",
        "count": 2,
    } in report["by_area_and_need"]
    unmet = report["unmet_need"]
    assert [(r["area"], r["need"], r["count"]) for r in unmet["signposted_to_nothing"]] == [("PE1", "gambling", 1)]
    assert [(r["area"], r["need_name"]) for r in unmet["searches_found_nothing"]] == [
        ("CB4", "Carers"),
        ("PE1", None),
        (None, None),
    ]
    assert [(r["area"], r["need"]) for r in unmet["search_words"]] == [
        ("PE1", "gambling")
    ]  # the phone number was not kept

    later = (await client.get("/reports/signposting", params={"since": "2999-01-01"})).json()
    assert later["signposting_total"] == 0 and later["unmet_need"]["searches_found_nothing"] == []
    bad = await client.get("/reports/signposting", params={"since": "2026-12-01", "until": "2026-11-01"})
    assert bad.status_code == 422 and "after its end" in bad.json()["detail"]
