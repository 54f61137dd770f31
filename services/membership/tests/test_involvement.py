"""The involvement record: time from meetings and pop-up forums, time added by staff, monthly
statements and the finance team's export of paid time."""

import csv
import io
import uuid
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from forum_shared.events import Envelope, MeetingHeld, PopUpForumHeld
from forum_shared.testing import wait_for
from membership import domain
from membership.store import involvement_entries, members

PAID_ROLE = {
    "title": "Facilitator",
    "description": "Pop-up forums",
    "hours_per_month": 6,
    "paid": True,
    "hourly_rate": "12.50",
    "vacancies": 5,
}


def from_meetings(event) -> Envelope:
    return Envelope.wrap(event, source="/forum/meetings")


async def setup_members(svc, *names, role=PAID_ROLE, starts_on="2026-01-01"):
    role_id = (await svc.staff.post("/roles", json=role)).json()["id"]
    ids = []
    for name in names:
        member_id = (await svc.staff.post("/members", json={"display_name": name})).json()["id"]
        held = await svc.staff.post(
            f"/roles/{role_id}/assignments", json={"member_id": member_id, "starts_on": starts_on}
        )
        assert held.status_code == 201, held.text
        ids.append(member_id)
    return role_id, ids


async def entries_of(svc, member_id, count=None):
    found = (await svc.staff.get(f"/members/{member_id}/involvement")).json()
    return found if count is None or len(found) >= count else None


async def test_attendance_is_recorded_once_even_if_the_event_arrives_twice(start_membership, deliver):
    async with start_membership() as svc:
        await svc.wait_subscribed()
        _, (ada,) = await setup_members(svc, "Ada")
        bo = (await svc.staff.post("/members", json={"display_name": "Bo"})).json()["id"]
        gone = (await svc.staff.post("/members", json={"display_name": "Gone"})).json()["id"]
        await svc.staff.delete(f"/members/{gone}")

        meeting = MeetingHeld(
            meeting_id=str(uuid.uuid4()),
            held_on=date(2026, 11, 4),
            hours=2.5,
            attendee_member_ids=[ada, bo, ada, gone, "someone-from-elsewhere"],
        )
        envelope = from_meetings(meeting)
        await deliver(envelope)
        # The same event again, after JetStream's duplicate window: only the inbox can catch it.
        await deliver(envelope, again=True)
        # The same meeting published again as a new event: the unique key catches it.
        await deliver(from_meetings(meeting))
        # A later event; once it is recorded, the ones before it have been processed.
        marker = MeetingHeld(
            meeting_id=str(uuid.uuid4()), held_on=date(2026, 11, 18), hours=2, attendee_member_ids=[bo]
        )
        await deliver(from_meetings(marker))
        await wait_for(lambda: entries_of(svc, bo, 2), what="the marker meeting recorded")

        ada_entries = await entries_of(svc, ada)
        assert [(e["kind"], e["hours"], e["paid"], e["amount"], e["source_id"]) for e in ada_entries] == [
            ("meeting_attendance", "2.50", True, "31.25", meeting.meeting_id)
        ]
        assert ada_entries[0]["role_title"] == "Facilitator"
        bo_entries = await entries_of(svc, bo)
        assert [(e["hours"], e["paid"], e["amount"], e["role_title"]) for e in bo_entries] == [
            ("2.50", False, "0.00", None),
            ("2.00", False, "0.00", None),
        ]
        async with svc.db.read() as session:
            assert await session.scalar(select(func.count()).select_from(involvement_entries)) == 3
            assert (
                await session.scalar(select(func.count()).select_from(members).where(members.c.id == gone))
                == 0
            )


async def test_pop_up_facilitation_and_time_added_by_staff_make_the_monthly_statement(
    start_membership, deliver
):
    async with start_membership() as svc:
        await svc.wait_subscribed()
        _, (cal, dot) = await setup_members(svc, "Cal", "Dot")
        pop_up = PopUpForumHeld(
            pop_up_id=str(uuid.uuid4()),
            community_group_id=str(uuid.uuid4()),
            held_on=date(2026, 10, 14),
            hours=1.75,
            facilitator_member_ids=[cal, dot],
            participants=12,
            area="Fenland",
        )
        await deliver(from_meetings(pop_up))
        await wait_for(lambda: entries_of(svc, dot, 1), what="pop-up facilitation recorded")

        for body in (
            {"kind": "travel", "worked_on": "2026-10-14", "hours": 0.5, "note": "Bus to March"},
            {"kind": "preparation", "worked_on": "2026-10-13", "hours": "1.33"},
            {"kind": "preparation", "worked_on": "2026-09-30", "hours": 1},
        ):
            resp = await svc.staff.post(f"/members/{cal}/involvement", json=body)
            assert resp.status_code == 201, resp.text
            assert resp.json()["source"] == "staff" and resp.json()["paid"] is True

        statement = (await svc.staff.get(f"/members/{cal}/statements/2026-10")).json()
        assert [(e["worked_on"], e["kind"], e["hours"], e["amount"]) for e in statement["entries"]] == [
            ("2026-10-13", "preparation", "1.33", "16.63"),
            ("2026-10-14", "pop_up_facilitation", "1.75", "21.88"),
            ("2026-10-14", "travel", "0.50", "6.25"),
        ]
        assert statement["total_hours"] == statement["paid_hours"] == "3.58"
        assert statement["voluntary_hours"] == "0.00"
        assert statement["amount_due"] == "44.76"
        assert statement["by_role"] == [
            {
                "role_title": "Facilitator",
                "paid": True,
                "hourly_rate": "12.50",
                "hours": "3.58",
                "amount": "44.76",
            }
        ]
        september = (await svc.staff.get(f"/members/{cal}/statements/2026-09")).json()
        assert september["amount_due"] == "12.50"
        assert (
            len((await svc.staff.get(f"/members/{cal}/involvement", params={"month": "2026-10"})).json())
            == 3
        )


async def test_the_finance_export_lists_paid_time_at_the_roles_rate_and_its_totals_match_the_entries(
    start_membership, deliver
):
    async with start_membership() as svc:
        await svc.wait_subscribed()
        _, (eli, fox) = await setup_members(svc, "Eli", "=Fox")
        senior = {**PAID_ROLE, "title": "Lead facilitator", "hourly_rate": "15.10"}
        _, (gus,) = await setup_members(svc, "Gus", role=senior)
        voluntary = {**PAID_ROLE, "title": "Welcomer", "paid": False, "hourly_rate": None}
        _, (hu,) = await setup_members(svc, "Hu", role=voluntary)

        await deliver(
            from_meetings(
                MeetingHeld(
                    meeting_id=str(uuid.uuid4()),
                    held_on=date(2026, 11, 4),
                    hours=2.25,
                    attendee_member_ids=[eli, fox, gus, hu],
                )
            )
        )
        await deliver(
            from_meetings(
                PopUpForumHeld(
                    pop_up_id=str(uuid.uuid4()),
                    community_group_id="g1",
                    held_on=date(2026, 11, 12),
                    hours=1.33,
                    facilitator_member_ids=[eli, gus],
                )
            )
        )
        await wait_for(lambda: entries_of(svc, gus, 2), what="meeting and pop-up recorded")
        await svc.staff.post(
            f"/members/{fox}/involvement", json={"kind": "travel", "worked_on": "2026-11-04", "hours": 0.67}
        )
        await svc.staff.post(
            f"/members/{eli}/involvement", json={"kind": "travel", "worked_on": "2026-12-01", "hours": 1}
        )

        resp = await svc.staff.get("/involvement/finance.csv", params={"month": "2026-11"})
        assert resp.status_code == 200, resp.text
        assert resp.headers["content-type"].startswith("text/csv")
        assert 'filename="paid-time-2026-11.csv"' in resp.headers["content-disposition"]
        *lines, total = list(csv.DictReader(io.StringIO(resp.text)))
        assert total["entry_id"] == "TOTAL"
        assert {line["member_name"] for line in lines} == {"Eli", "'=Fox", "Gus"}  # no voluntary time
        for line in lines:
            expected = (Decimal(line["hours"]) * Decimal(line["hourly_rate"])).quantize(
                Decimal("0.01"), "ROUND_HALF_UP"
            )
            assert Decimal(line["amount"]) == expected
        assert sum(Decimal(line["amount"]) for line in lines) == Decimal(total["amount"])
        assert sum(Decimal(line["hours"]) for line in lines) == Decimal(total["hours"])
        assert {line["hourly_rate"] for line in lines if line["member_name"] == "Gus"} == {"15.10"}

        # The export and each member's statement agree, entry by entry and in total.
        statements = [
            (await svc.staff.get(f"/members/{m}/statements/2026-11")).json() for m in (eli, fox, gus)
        ]
        assert sorted(e["id"] for s in statements for e in s["entries"]) == sorted(
            line["entry_id"] for line in lines
        )
        assert sum(Decimal(s["amount_due"]) for s in statements) == Decimal(total["amount"])
        # Worked by hand: Eli 28.13 + 16.63, Fox 28.13 + 8.38, Gus 33.98 + 20.08 (each to the penny).
        assert (total["hours"], total["amount"]) == ("10.08", "135.33")

        bad = await svc.staff.get("/involvement/finance.csv", params={"month": "November"})
        assert bad.status_code == 422 and "YYYY-MM" in bad.json()["detail"]
        empty = await svc.staff.get("/involvement/finance.csv", params={"month": "2025-01"})
        assert empty.text.splitlines() == [
            "entry_id,member_id,member_name,role,kind,worked_on,hours,hourly_rate,amount",
            "TOTAL,,,,,,0.00,,0.00",
        ]


async def test_time_added_by_staff_must_make_sense(start_membership):
    async with start_membership() as svc:
        role_id, (ivy,) = await setup_members(svc, "Ivy", starts_on="2026-06-01")
        holding = (await svc.staff.get(f"/members/{ivy}/roles")).json()[0]["id"]
        tomorrow = (domain.today() + timedelta(days=1)).isoformat()
        for body, expected in [
            ({"kind": "travel", "worked_on": "2026-07-01", "hours": 25}, "hours"),
            ({"kind": "travel", "worked_on": "2026-07-01", "hours": 0}, "hours"),
            ({"kind": "travel", "worked_on": "2026-07-01", "hours": "1.333"}, "hours"),
            ({"kind": "travel", "worked_on": tomorrow, "hours": 1}, "not for a future day"),
            ({"kind": "meeting_attendance", "worked_on": "2026-07-01", "hours": 1}, "kind"),
            (
                {"kind": "travel", "worked_on": "2026-05-01", "hours": 1, "assignment_id": holding},
                "did not hold that role",
            ),
        ]:
            resp = await svc.staff.post(f"/members/{ivy}/involvement", json=body)
            assert resp.status_code == 422 and expected in resp.json()["detail"], (body, resp.text)
        assert (await svc.staff.get(f"/members/{ivy}/involvement")).json() == []
        before_role = await svc.staff.post(
            f"/members/{ivy}/involvement", json={"kind": "other", "worked_on": "2026-05-01", "hours": 1}
        )
        assert (
            before_role.status_code == 201
            and before_role.json()["paid"] is False
            and before_role.json()["amount"] == "0.00"
        )
        nobody = await svc.staff.post(
            "/members/nobody/involvement", json={"kind": "travel", "worked_on": "2026-07-01", "hours": 1}
        )
        assert nobody.status_code == 404
        bad_month = await svc.staff.get(f"/members/{ivy}/statements/2026-13")
        assert bad_month.status_code == 422 and "YYYY-MM" in bad_month.json()["detail"]


async def test_an_event_with_a_nonsense_length_is_dead_lettered_for_staff_to_see(start_membership, deliver):
    async with start_membership() as svc:
        await svc.wait_subscribed()
        member = (await svc.staff.post("/members", json={"display_name": "Jay"})).json()["id"]
        envelope = from_meetings(
            MeetingHeld(
                meeting_id=str(uuid.uuid4()), held_on=date(2026, 11, 4), hours=0, attendee_member_ids=[member]
            )
        )
        await deliver(envelope)

        async def dead():
            letters = (await svc.staff.get("/dead-letters")).json()
            return [d for d in letters if d["event_id"] == envelope.id]

        (letter,) = await wait_for(dead, what="the event dead-lettered")
        assert letter["consumer"] == "membership-record_meeting_attendance"
        assert "not a length of time" in letter["error"]
        assert (await svc.staff.get(f"/members/{member}/involvement")).json() == []


async def test_the_asyncapi_document_lists_what_membership_publishes_and_consumes(start_membership):
    async with start_membership() as svc:
        doc = (await svc.client.get("/asyncapi")).json()
        text = str(doc)
        for event in (
            "member_joined",
            "member_left",
            "member_erased",
            "partner_organisation_joined",
            "involvement_role_advertised",
            "involvement_role_assigned",
            "involvement_role_ended",
        ):
            assert f"forum.membership.{event}.v1" in text
        assert "forum.meetings.meeting_held.v1" in text and "forum.meetings.pop_up_forum_held.v1" in text
