"""Counts for diversity reporting never expose individuals."""

import json


async def test_diversity_counts_hide_small_numbers_and_never_name_anyone(start_membership):
    async with start_membership() as svc:
        people = (
            [{"area": "Fenland", "connections": ["Carer"]}] * 6
            + [{"area": f"PE1 {n}AB", "connections": ["Lived experience", "Carer"]} for n in range(5)]
            + [{"area": "Cambridge", "connections": ["retired nurse"]}] * 2
            + [{"area": "Ely"}]
            + [{}] * 3
        )
        ids = []
        for n, details in enumerate(people):
            resp = await svc.staff.post("/members", json={"display_name": f"Person {n}", **details})
            assert resp.status_code == 201, resp.text
            ids.append(resp.json()["id"])
        await svc.staff.post(f"/members/{ids[0]}/leave")  # only current members are counted

        resp = await svc.staff.get("/reports/diversity")
        assert resp.status_code == 200, resp.text
        report = resp.json()
        assert report["small_count_threshold"] == 5 and "fewer than 5" in report["note"]
        assert report["members"] == {"label": "all members", "count": 16, "shown": "16"}
        assert [(r["label"], r["count"], r["shown"]) for r in report["by_area"]] == [
            ("Fenland", 5, "5"),
            ("PE1", 5, "5"),
            ("Not given", None, "fewer than 5"),
            ("Cambridge", None, "fewer than 5"),
            ("Ely", None, "fewer than 5"),
        ]
        assert [(r["label"], r["count"]) for r in report["by_connection"]] == [
            ("Carer", 10),
            ("Lived experience", 5),
            ("Not given", None),
            ("Described in their own words", None),
        ]
        text = json.dumps(report)
        assert "Person" not in text and "retired nurse" not in text and "4AB" not in text
        assert not any(member_id in text for member_id in ids)


async def test_a_small_forum_shows_no_counts_at_all(start_membership):
    async with start_membership() as svc:
        for n in range(3):
            await svc.staff.post("/members", json={"display_name": f"P{n}", "area": "Fenland"})
        report = (await svc.staff.get("/reports/diversity")).json()
        assert report["members"]["count"] is None and report["members"]["shown"] == "fewer than 5"
        assert [(r["label"], r["count"]) for r in report["by_area"]] == [("Fenland", None)]
