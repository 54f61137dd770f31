"""Registration: places up to capacity, then a waiting list promoted strictly in order; the
details people give are cleared some days after the meeting."""

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import update
from sqlalchemy.engine import make_url

from forum_shared.events import MemberErased, WaitingListPlaceOffered
from forum_shared.testing import wait_for
from meetings.service.retention import clear_old_registration_details
from meetings.store import meetings


async def register(mt, meeting_id: str, **body) -> dict:
    resp = await mt.client.post(f"/meetings/{meeting_id}/registrations", json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def places_offered(published, meeting_id: str, how_many: int) -> list[WaitingListPlaceOffered]:
    async def offered():
        events = await published(WaitingListPlaceOffered, meeting_id)
        return events if len(events) >= how_many else None

    events = await wait_for(offered, what=f"{how_many} places offered")
    assert len(events) == how_many
    return events


async def test_the_waiting_list_is_promoted_in_order_when_people_cancel(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14, capacity=2))).json()
        ann = await register(mt, meeting["id"], member_id="member-ann")
        bo = await register(mt, meeting["id"], name="Bo", contact_email="bo@example.org", access_needs=["hearing_loop"])
        cy = await register(mt, meeting["id"], name="Cy")
        di = await register(mt, meeting["id"], member_id="member-di")
        ed = await register(mt, meeting["id"], name="Ed", contact_phone="01234 567890")
        assert [r["status"] for r in (ann, bo, cy, di, ed)] == [
            "registered",
            "registered",
            "waiting",
            "waiting",
            "waiting",
        ]
        assert [r["waiting_position"] for r in (cy, di, ed)] == [1, 2, 3]

        # Someone waiting leaves: the order of the others is kept.
        left = await mt.staff.post(f"/meetings/{meeting['id']}/registrations/{di['id']}/cancel")
        assert left.json()["status"] == "cancelled"
        # Someone with a place cancels: the first still waiting gets it, then the next.
        await mt.staff.post(f"/meetings/{meeting['id']}/registrations/{ann['id']}/cancel")
        listing = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        status = {r["id"]: (r["status"], r["waiting_position"]) for r in listing["registrations"]}
        assert status[cy["id"]] == ("registered", None)
        assert status[ed["id"]] == ("waiting", 1)
        await mt.staff.post(f"/meetings/{meeting['id']}/registrations/{bo['id']}/cancel")
        listing = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert [r["id"] for r in listing["registrations"] if r["status"] == "registered"] == [cy["id"], ed["id"]]
        assert (listing["registered"], listing["waiting"], listing["places_left"]) == (2, 0, 0)

        again = await mt.staff.post(f"/meetings/{meeting['id']}/registrations/{bo['id']}/cancel")
        assert again.status_code == 409

        # Each place given from the waiting list is told by an event, with ids only.
        offered = await places_offered(published, meeting["id"], 2)
        assert [e.registration_id for e in offered] == [cy["id"], ed["id"]]
        assert all(e.member_id is None and e.starts_at == datetime.fromisoformat(meeting["starts_at"]) for e in offered)
        assert "Ed" not in str([e.model_dump() for e in offered]) and "01234" not in str(
            [e.model_dump() for e in offered]
        )


async def test_more_places_go_to_the_waiting_list_in_order(start_meetings, meeting_at, published):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14, capacity=1))).json()
        people = [await register(mt, meeting["id"], name=n) for n in ("Ann", "Bo", "Cy", "Di")]
        await mt.staff.patch(f"/meetings/{meeting['id']}", json={"capacity": 3})
        listing = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert [r["status"] for r in listing["registrations"]] == ["registered", "registered", "registered", "waiting"]
        assert listing["registrations"][3]["id"] == people[3]["id"]
        shown = (await mt.client.get(f"/meetings/{meeting['id']}")).json()
        assert (shown["registered"], shown["waiting"], shown["places_left"]) == (3, 1, 0)
        offered = await places_offered(published, meeting["id"], 2)
        assert [e.registration_id for e in offered] == [people[1]["id"], people[2]["id"]]


async def test_access_needs_are_counted_for_the_people_with_places(start_meetings, meeting_at):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        await register(mt, meeting["id"], name="Ann", access_needs=["bsl_interpreter", "step_free_access"])
        await register(
            mt, meeting["id"], member_id="m-2", access_needs=["step_free_access"], access_notes="I use a wheelchair"
        )
        listing = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()
        assert listing["access_needs"] == {"bsl_interpreter": 1, "step_free_access": 2}
        assert listing["capacity"] is None and listing["places_left"] is None


async def test_bad_registrations_are_refused_with_a_reason(start_meetings, meeting_at):
    async with start_meetings() as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        url = f"/meetings/{meeting['id']}/registrations"
        nobody = await mt.staff.post(url, json={"access_needs": ["hearing_loop"]})
        assert nobody.status_code == 422 and "member id, or a name" in nobody.json()["detail"]
        both = await mt.staff.post(url, json={"member_id": "m-1", "name": "Ann"})
        assert both.status_code == 422 and "member id only" in both.json()["detail"]
        bad_email = await mt.staff.post(url, json={"name": "Ann", "contact_email": "ann-at-home"})
        assert bad_email.status_code == 422 and "contact_email" in bad_email.json()["detail"]

        await register(mt, meeting["id"], member_id="m-1")
        twice = await mt.staff.post(url, json={"member_id": "m-1"})
        assert twice.status_code == 409 and "already registered" in twice.json()["detail"]

        assert (await mt.staff.post("/meetings/nope/registrations", json={"name": "Ann"})).status_code == 404
        past = (await mt.staff.post("/meetings", json=meeting_at(days=-1))).json()
        late = await mt.client.post(f"/meetings/{past['id']}/registrations", json={"name": "Ann"})
        assert late.status_code == 409 and "already started" in late.json()["detail"]
        await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={})
        closed = await mt.staff.post(url, json={"name": "Bo"})
        assert closed.status_code == 409 and "cancelled" in closed.json()["detail"]


async def test_an_erased_member_keeps_no_personal_data_in_registrations(start_meetings, meeting_at, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        mine = await register(
            mt, meeting["id"], member_id="m-erase", access_needs=["quiet_space"], access_notes="anxiety"
        )
        other = await register(mt, meeting["id"], member_id="m-stay", access_needs=["quiet_space"])
        await deliver(MemberErased(member_id="m-erase", erased_at=datetime.now(UTC)))

        async def scrubbed():
            rows = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()["registrations"]
            found = {r["id"]: r for r in rows}
            return found if found[mine["id"]]["access_needs"] == [] else None

        rows = await wait_for(scrubbed, what="registration scrubbed")
        assert rows[mine["id"]]["access_notes"] is None
        assert rows[mine["id"]]["member_id"] == "m-erase"  # the bare id is the only trace kept
        assert rows[other["id"]]["access_needs"] == ["quiet_space"]


async def test_an_erased_members_notes_leave_the_sqlite_files_while_the_service_runs(
    start_meetings, meeting_at, deliver, backend
):
    if backend != "sqlite":
        pytest.skip("the files checked here are SQLite's")
    notes = "Robin needs a quiet room after a panic attack last month"
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        await register(mt, meeting["id"], member_id="m-robin", access_needs=["quiet_space"], access_notes=notes)
        path = Path(make_url(mt.db.url).database)

        def on_disk() -> bool:
            return any(notes.encode() in f.read_bytes() for f in path.parent.glob(f"{path.name}*"))

        assert on_disk()
        await deliver(MemberErased(member_id="m-robin", erased_at=datetime.now(UTC)))
        await wait_for(lambda: not on_disk(), what="the notes gone from meetings.db, -wal and -shm")


async def test_only_staff_register_people_for_a_meeting_not_open_to_the_public(start_meetings, meeting_at):
    async with start_meetings() as mt:
        closed = (await mt.staff.post("/meetings", json=meeting_at(days=14, public=False))).json()
        refused = await mt.client.post(f"/meetings/{closed['id']}/registrations", json={"name": "Bo"})
        assert refused.status_code == 404
        invited = await mt.staff.post(f"/meetings/{closed['id']}/registrations", json={"member_id": "member-ann"})
        assert invited.status_code == 201 and invited.json()["status"] == "registered"


async def test_registration_details_are_cleared_some_days_after_the_meeting(start_meetings, meeting_at):
    async with start_meetings(registration_details_kept_days=30) as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        other = (await mt.staff.post("/meetings", json=meeting_at(days=20))).json()
        bo = await register(mt, meeting["id"], name="Bo", contact_email="bo@example.org", access_needs=["hearing_loop"],
                            access_notes="I lip-read")
        member = await register(mt, meeting["id"], member_id="member-cy", access_notes="Aisle seat")
        later = await register(mt, other["id"], name="Di", contact_phone="01234 567890")
        ends = datetime.fromisoformat(meeting["ends_at"])

        assert await clear_old_registration_details(mt.db, 30, now=ends + timedelta(days=29)) == 0
        # 31 days after the first meeting; the second ended only 25 days ago.
        assert await clear_old_registration_details(mt.db, 30, now=ends + timedelta(days=31)) == 2
        assert await clear_old_registration_details(mt.db, 30, now=ends + timedelta(days=31)) == 0, (
            "nothing left to clear"
        )

        listed = {
            r["id"]: r for r in (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()["registrations"]
        }
        for registration in (bo, member):
            kept = listed[registration["id"]]
            assert (kept["name"], kept["contact_email"], kept["contact_phone"], kept["access_notes"]) == (None,) * 4
            assert kept["status"] == "registered"
        assert listed[bo["id"]]["access_needs"] == ["hearing_loop"] and listed[member["id"]]["member_id"] == "member-cy"
        untouched = (await mt.staff.get(f"/meetings/{other['id']}/registrations")).json()["registrations"][0]
        assert (untouched["id"], untouched["name"], untouched["contact_phone"]) == (later["id"], "Di", "01234 567890")

        page = (await (await mt.person("staff")).get(f"/staff/meetings/{meeting['id']}/registrations")).text
        assert "Details cleared after the meeting" in page and "Member member-cy" in page
        assert "bo@example.org" not in page and "lip-read" not in page


async def test_the_service_clears_old_registration_details_by_itself(start_meetings, meeting_at):
    async with start_meetings(registration_details_kept_days=30, retention_check_seconds=0.2) as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        bo = await register(mt, meeting["id"], name="Bo", contact_email="bo@example.org")
        # The meeting took place 31 days ago.
        async with mt.db.transaction() as session:
            await session.execute(
                update(meetings)
                .where(meetings.c.id == meeting["id"])
                .values(
                    starts_at=datetime.now(UTC) - timedelta(days=31, hours=2),
                    ends_at=datetime.now(UTC) - timedelta(days=31),
                )
            )

        async def cleared():
            listed = (await mt.staff.get(f"/meetings/{meeting['id']}/registrations")).json()["registrations"]
            return listed[0]["contact_email"] is None and listed[0]
        kept = await wait_for(cleared, what="registration details cleared")
        assert (kept["id"], kept["name"]) == (bo["id"], None)


async def test_the_registration_form_says_how_long_details_are_kept(start_meetings, meeting_at):
    async with start_meetings(registration_details_kept_days=45) as mt:
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=14))).json()
        form = await mt.client.get(f"/upcoming-meetings/{meeting['id']}/register", headers={"accept": "text/html"})
        assert "delete your name, contact details and notes 45 days after it" in form.text
