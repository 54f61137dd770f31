"""Moving around the county: the least recently visited area, same-area warnings, a yearly report."""

from forum_shared.areas import DISTRICTS
from meetings.config import Settings


async def test_the_area_waited_longest_is_suggested_and_a_repeat_area_is_warned_about(start_meetings, meeting_at):
    async with start_meetings() as mt:
        assert (await mt.client.get("/areas")).json() == list(DISTRICTS)
        for days, area in (
            (-60, "Fenland"),
            (-30, "Peterborough"),
            (-90, "Huntingdonshire"),
            (-20, "East Cambridgeshire"),
            (-10, "South Cambridgeshire"),
        ):
            await mt.staff.post("/meetings", json=meeting_at(days=days, area=area))
        suggestion = (await mt.staff.get("/areas/suggestion")).json()
        assert suggestion["suggested_area"] == "Cambridge"  # never visited

        first = (await mt.staff.post("/meetings", json=meeting_at(days=10, area="Cambridge"))).json()
        assert first["warnings"] == []
        assert first["suggested_area"] == "Cambridge"
        again = (await mt.staff.post("/meetings", json=meeting_at(days=40, area="Cambridge"))).json()
        assert len(again["warnings"]) == 1
        assert "was also in Cambridge" in again["warnings"][0]
        assert "Huntingdonshire has waited longest" in again["warnings"][0]
        after = (await mt.staff.get("/areas/suggestion")).json()
        assert after["suggested_area"] == "Huntingdonshire"
        last = {a["area"]: a["last_meeting_on"] for a in after["areas"]}
        assert last["Cambridge"] == again["starts_at"][:10]

        # A cancelled meeting does not count as a visit.
        await mt.staff.post(f"/meetings/{again['id']}/cancel", json={})
        moved = await mt.staff.post(
            f"/meetings/{first['id']}/reschedule", json={"area": "Cambridge", "venue": "Guildhall"}
        )
        assert moved.json()["warnings"] == []


async def test_the_report_counts_meetings_per_area_over_the_last_year(start_meetings, meeting_at):
    async with start_meetings() as mt:
        for days, area in (
            (-400, "Fenland"),
            (-200, "Fenland"),
            (-100, "Fenland"),
            (-50, "Cambridge"),
            (30, "Huntingdonshire"),
        ):
            await mt.staff.post("/meetings", json=meeting_at(days=days, area=area))
        cancelled = (await mt.staff.post("/meetings", json=meeting_at(days=-40, area="Peterborough"))).json()
        await mt.staff.post(f"/meetings/{cancelled['id']}/cancel", json={})
        await mt.staff.post("/meetings", json=meeting_at(days=-20, venue=None, area=None, online_url="https://meet.example.org/z"))

        report = (await mt.staff.get("/reports/meetings-per-area")).json()
        counts = {a["area"]: a["meetings"] for a in report["areas"]}
        assert counts == {
            "Cambridge": 1,
            "Peterborough": 0,
            "Huntingdonshire": 0,
            "Fenland": 2,
            "East Cambridgeshire": 0,
            "South Cambridgeshire": 0,
        }
        assert report["online_only"] == 1
        assert report["to_date"] > report["from_date"]


async def test_the_areas_come_from_configuration(start_meetings, meeting_at):
    assert Settings(areas="North Ward, South Ward ,").areas == ["North Ward", "South Ward"]
    async with start_meetings(areas=["North Ward", "South Ward"]) as mt:
        assert (await mt.client.get("/areas")).json() == ["North Ward", "South Ward"]
        refused = await mt.staff.post("/meetings", json=meeting_at(area="Cambridge"))
        assert refused.status_code == 422
        assert "Choose one of: North Ward, South Ward" in refused.json()["detail"]
        assert (await mt.staff.post("/meetings", json=meeting_at(area="south ward"))).json()["area"] == "South Ward"
