"""“You said, we did” in public, and the reports staff ask for."""

import csv
import io

PRIVATE_VALUES = ["member-private-7", "Alex Private", "alex.private@example.org", "07700 900456", "Alex's neighbour"]
PERSONAL = {
    "member_id": "member-private-7",
    "contact_name": "Alex Private",
    "contact_email": "alex.private@example.org",
    "contact_phone": "07700 900456",
    "contact_consent": True,
    "source": "Alex's neighbour",
}


async def test_the_public_listing_never_shows_contact_details_member_ids_or_criticality(start_feedback):
    async with start_feedback() as fb:
        item = (
            await fb.client.post("/feedback", json={"text": "Private words about my ward", "area": "Ely", **PERSONAL})
        ).json()
        await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": ["environment"], "criticality": 4})
        group_view = (
            await fb.staff.post(
                "/pop-up-forums/pop-pub/feedback",
                json={"entered_by": "Staff Name Here", "views": [{"text": "Same ward", "themes": ["environment"]}]},
            )
        ).json()[0]
        esc = (
            await fb.staff.post(
                "/escalations",
                json={
                    "summary": "Ward too cold",
                    "reason": "Two voices",
                    "feedback_ids": [item["id"], group_view["id"]],
                },
            )
        ).json()
        published = await fb.staff.post(
            f"/escalations/{esc['id']}/responses",
            json={
                "you_said": "The ward is too cold",
                "we_did": "Heating fixed",
                "outcome": "change_made",
                "responded_by": "Responder Name",
            },
        )
        assert published.status_code == 201

        resp = await fb.client.get("/public/you-said-we-did")
        assert resp.status_code == 200
        [entry] = resp.json()
        assert (entry["you_said"], entry["we_did"], entry["outcome_words"]) == (
            "The ward is too cold",
            "Heating fixed",
            "Change made",
        )
        assert entry["escalated"] is True and entry["voices"] == 2 and entry["themes"] == ["environment"]
        assert sorted(s["kind"] for s in entry["sources"]) == ["individual", "pop_up_forum"]
        assert any(s["description"].startswith("A member of the public, Ely") for s in entry["sources"])

        text = resp.text + (await fb.client.get(f"/public/you-said-we-did/{entry['id']}")).text
        for private in [
            *PRIVATE_VALUES,
            "criticality",
            "Private words",
            "Staff Name Here",
            "Responder Name",
            item["id"],
        ]:
            assert private not in text, private
        assert (await fb.client.get("/public/you-said-we-did/nope")).status_code == 404


async def test_responding_to_closed_feedback_is_refused(start_feedback):
    async with start_feedback() as fb:
        item = (await fb.client.post("/feedback", json={"text": "Done"})).json()
        await fb.staff.post(f"/feedback/{item['id']}/close")
        resp = await fb.staff.post(
            f"/feedback/{item['id']}/responses", json={"you_said": "abc", "we_did": "def", "outcome": "no_change"}
        )
        assert resp.status_code == 422
        bad = await fb.staff.post(
            f"/feedback/{item['id']}/responses", json={"you_said": "abc", "we_did": "def", "outcome": "maybe"}
        )
        assert bad.status_code == 422


async def test_reports_count_by_theme_area_source_and_month_and_escalations_by_state(start_feedback):
    async with start_feedback(cluster_min_sources=2) as fb:
        await fb.list_in_directory("g1", "g2")
        group = {"channel": "community_group", "polarity": "negative"}
        for by, body in (
            (fb.client, {"text": "a", "themes": ["carers"], "area": "Fenland", "polarity": "negative"}),
            (fb.staff, {"text": "b", "themes": ["carers", "medication"], "area": "Fenland", "community_group_id": "g1",
                        **group}),
            (fb.staff, {"text": "c", "themes": ["carers"], "community_group_id": "g2", **group}),
        ):
            assert (await by.post("/feedback", json=body)).status_code == 201
        report = (await fb.staff.get("/reports/summary")).json()
        assert report["total"] == 3
        assert report["by_theme"] == {"carers": 3, "medication": 1}
        assert report["by_area"] == {"Fenland": 2, "not given": 1}
        assert report["by_source"] == {"community_group": 2, "individual": 1}
        assert list(report["by_month"].values()) == [3]
        assert report["escalations"] == {
            "open": 1,
            "awaiting_response": 1,
            "overdue": 0,
            "resolved": 0,
            "by_route": {"theme_cluster": 1},
        }

        future = (await fb.staff.get("/reports/summary", params={"since": "2099-01-01"})).json()
        assert future["total"] == 0 and future["escalations"]["open"] == 0
        backwards = await fb.staff.get("/reports/summary", params={"since": "2027-02-01", "until": "2027-01-01"})
        assert backwards.status_code == 422 and "swap" in backwards.json()["detail"]
        assert (await fb.staff.get("/reports/summary", params={"since": "last tuesday"})).status_code == 422

        summary_csv = await fb.staff.get("/reports/summary.csv")
        assert summary_csv.headers["content-type"].startswith("text/csv")
        rows = list(csv.reader(io.StringIO(summary_csv.text)))
        assert rows[0] == ["measure", "value", "count"]
        assert ["theme", "carers", "3"] in rows and ["escalations", "open", "1"] in rows


async def test_the_csv_export_is_anonymised(start_feedback):
    async with start_feedback() as fb:
        item = (
            await fb.client.post("/feedback", json={"text": "=cmd|' /C calc'!A0", "themes": ["carers"], **PERSONAL})
        ).json()
        await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": ["carers"], "criticality": 4})
        resp = await fb.staff.get("/reports/feedback.csv")
        assert resp.status_code == 200
        assert "attachment" in resp.headers["content-disposition"]
        [header, row] = list(csv.reader(io.StringIO(resp.text)))
        record = dict(zip(header, row, strict=True))
        assert record["themes"] == "carers" and record["source_kind"] == "individual"
        assert record["text"].startswith("'=")  # a spreadsheet will not run it
        assert "criticality" not in header
        for private in PRIVATE_VALUES:
            assert private not in resp.text
