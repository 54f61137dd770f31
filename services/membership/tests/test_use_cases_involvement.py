"""Time given: credited from meetings and pop-up forums, recorded by staff, monthly statements and the
finance team's export of paid time; the use cases called directly on SQLite."""

import csv
import io
import uuid
from datetime import date
from decimal import Decimal

import pytest

from forum_shared.errors import NotFound, RuleBroken
from forum_shared.events import MeetingHeld, PopUpForumHeld
from membership.domain import EntryKind, EntrySource
from membership.schemas import AssignmentCreate, AssignmentEnd, EntryCreate
from membership.service import finance, holdings, involvement, members

NOV_4 = date(2026, 11, 4)


@pytest.fixture
def holder(db, staff, member, role):
    """`await holder("Ada", hourly_rate="12.50")`: a member holding a role (paid unless told) since 2026."""

    async def make(name: str, starts_on: date = date(2026, 1, 1), **role_details):
        someone = await member(name)
        held = await role(vacancies=10, **role_details)
        holding = await holdings.assign_role(
            db, staff, held.id, AssignmentCreate(member_id=someone.id, starts_on=starts_on)
        )
        return someone, holding

    return make


async def attended(db, hours: float, *member_ids: str, meeting_id: str | None = None, held_on: date = NOV_4) -> int:
    """The meetings service reported a meeting held; as the consumer does, in the inbox's transaction."""
    event = MeetingHeld(
        meeting_id=meeting_id or str(uuid.uuid4()), held_on=held_on, hours=hours, attendee_member_ids=list(member_ids)
    )
    async with db.transaction() as session:
        return await involvement.record_meeting_attendance(session, event, str(uuid.uuid4()))


async def test_each_attendee_is_credited_once_per_meeting_at_the_rate_of_the_role_they_hold(db, holder, member):
    ada, _ = await holder("Ada")
    bo = await member("Bo")
    meeting_id = str(uuid.uuid4())
    assert await attended(db, 2.5, ada.id, bo.id, ada.id, meeting_id=meeting_id) == 2
    assert await attended(db, 2.5, ada.id, bo.id, meeting_id=meeting_id) == 0  # the same meeting, reported again
    [paid] = await involvement.member_entries(db, ada.id)
    assert (paid.kind, paid.source, paid.source_id, paid.hours, paid.amount, paid.role_title) == (
        EntryKind.meeting_attendance, EntrySource.meeting, meeting_id, Decimal("2.50"), Decimal("31.25"), "Facilitator"
    )
    [voluntary] = await involvement.member_entries(db, bo.id)
    assert (voluntary.paid, voluntary.amount, voluntary.role_title) == (False, Decimal("0.00"), None)


async def test_time_is_not_recorded_for_erased_members_or_ids_from_elsewhere(db, member, staff):
    gone = await member("Gone")
    await members.erase(db, staff, gone.id)
    assert await attended(db, 2, gone.id, "someone-from-elsewhere") == 0


async def test_a_meeting_of_nonsense_length_is_refused_so_it_can_be_dead_lettered(db, member):
    jay = await member("Jay")
    with pytest.raises(RuleBroken, match="not a length of time"):
        await attended(db, 0, jay.id)
    with pytest.raises(RuleBroken, match="not a length of time"):
        await attended(db, 25, jay.id)
    assert await involvement.member_entries(db, jay.id) == []


async def test_facilitators_of_a_pop_up_forum_are_credited_with_its_length(db, holder):
    cal, _ = await holder("Cal")
    dot, _ = await holder("Dot")
    event = PopUpForumHeld(
        pop_up_id="p1", community_group_id="g1", held_on=NOV_4, hours=1.75, facilitator_member_ids=[cal.id, dot.id]
    )
    async with db.transaction() as session:
        assert await involvement.record_pop_up_facilitation(session, event, "e1") == 2
    [entry] = await involvement.member_entries(db, dot.id)
    assert (entry.kind, entry.source, entry.source_id, entry.amount) == (
        EntryKind.pop_up_facilitation, EntrySource.pop_up, "p1", Decimal("21.88")
    )


async def test_staff_record_time_by_hand_and_it_is_audited_by_id(db, holder, staff, audited):
    kay, holding = await holder("Kay", hourly_rate="12.00")
    entry = await involvement.record_time(
        db, staff, kay.id, EntryCreate(kind="travel", worked_on=NOV_4, hours="1.5", note="Bus to March")
    )
    assert (entry.kind, entry.source, entry.hours, entry.amount, entry.assignment_id, entry.note) == (
        EntryKind.travel, EntrySource.staff, Decimal("1.50"), Decimal("18.00"), holding.id, "Bus to March"
    )
    assert ("account:staff-1", "involvement.recorded", f"entry:{entry.id}", {"member_id": kay.id}) in await audited(db)


async def test_time_counts_under_the_best_paid_role_held_that_day_unless_staff_choose_one(db, holder, role, staff):
    lou, voluntary = await holder("Lou", paid=False, hourly_rate=None)
    better = await role(title="Co-chair", hourly_rate="15.00")
    paid = await holdings.assign_role(db, staff, better.id, AssignmentCreate(member_id=lou.id, starts_on=NOV_4))
    chosen = await involvement.record_time(db, staff, lou.id, EntryCreate(kind="other", worked_on=NOV_4, hours=1))
    assert (chosen.assignment_id, chosen.amount) == (paid.id, Decimal("15.00"))
    asked = EntryCreate(kind="other", worked_on=NOV_4, hours=1, assignment_id=voluntary.id)
    as_asked = await involvement.record_time(db, staff, lou.id, asked)
    assert (as_asked.assignment_id, as_asked.paid, as_asked.amount) == (voluntary.id, False, Decimal("0.00"))


async def test_time_cannot_count_under_a_role_not_held_that_day(db, holder, staff):
    ivy, holding = await holder("Ivy", starts_on=date(2026, 6, 1))
    await holdings.end_holding(db, staff, holding.id, AssignmentEnd(ends_on=date(2026, 6, 30)))
    for day in (date(2026, 5, 31), date(2026, 7, 1)):
        with pytest.raises(RuleBroken, match="did not hold that role"):
            await involvement.record_time(
                db, staff, ivy.id, EntryCreate(kind="travel", worked_on=day, hours=1, assignment_id=holding.id)
            )
    assert await involvement.member_entries(db, ivy.id) == []
    with pytest.raises(NotFound):
        await involvement.record_time(db, staff, "nobody", EntryCreate(kind="travel", worked_on=NOV_4, hours=1))


async def test_ending_a_holding_leaves_pay_already_recorded_under_it_as_it_was(db, holder, staff):
    max_, holding = await holder("Max")
    before = await involvement.record_time(db, staff, max_.id, EntryCreate(kind="travel", worked_on=NOV_4, hours=2))
    await holdings.end_holding(db, staff, holding.id, AssignmentEnd(ends_on=NOV_4))
    [kept] = await involvement.member_entries(db, max_.id)
    assert (kept.id, kept.amount) == (before.id, Decimal("25.00"))


async def test_a_monthly_statement_lists_each_entry_and_totals_by_role_that_add_up(db, holder, member, staff):
    cal, _ = await holder("Cal")
    await attended(db, 1.75, cal.id, held_on=date(2026, 10, 14))
    for body in (
        {"kind": "travel", "worked_on": date(2026, 10, 14), "hours": "0.5"},
        {"kind": "preparation", "worked_on": date(2026, 10, 13), "hours": "1.33"},
        {"kind": "preparation", "worked_on": date(2026, 9, 30), "hours": 1},
    ):
        await involvement.record_time(db, staff, cal.id, EntryCreate(**body))
    statement = await involvement.monthly_statement(db, cal.id, "2026-10")
    assert [(e.worked_on.day, e.kind, e.amount) for e in statement.entries] == [
        (13, EntryKind.preparation, Decimal("16.63")),
        (14, EntryKind.meeting_attendance, Decimal("21.88")),
        (14, EntryKind.travel, Decimal("6.25")),
    ]
    assert (statement.total_hours, statement.paid_hours, statement.voluntary_hours, statement.amount_due) == (
        Decimal("3.58"), Decimal("3.58"), Decimal("0.00"), Decimal("44.76")
    )
    [by_role] = statement.by_role
    assert (by_role.role_title, by_role.hourly_rate, by_role.hours, by_role.amount) == (
        "Facilitator", Decimal("12.50"), Decimal("3.58"), Decimal("44.76")
    )
    assert len(await involvement.member_entries(db, cal.id, "2026-09")) == 1


async def test_a_month_must_be_written_as_year_and_month(db, member):
    jo = await member("Jo")
    for use_case in (
        involvement.monthly_statement(db, jo.id, "2026-13"),
        involvement.member_entries(db, jo.id, "November"),
        finance.finance_export(db, "2026-1"),
    ):
        with pytest.raises(RuleBroken, match="YYYY-MM"):
            await use_case


async def test_the_finance_export_lists_only_paid_time_and_its_total_is_the_sum_of_its_lines(db, holder, member):
    eli, _ = await holder("Eli")
    gus, _ = await holder("Gus", hourly_rate="15.10")
    hu = await member("Hu")
    await attended(db, 2.25, eli.id, gus.id, hu.id)
    await attended(db, 1.33, gus.id, held_on=date(2026, 11, 12))
    await attended(db, 1, eli.id, held_on=date(2026, 12, 1))
    *lines, total = list(csv.DictReader(io.StringIO(await finance.finance_export(db, "2026-11"))))
    assert sorted((line["member_name"], line["hours"], line["amount"]) for line in lines) == [
        ("Eli", "2.25", "28.13"),
        ("Gus", "1.33", "20.08"),
        ("Gus", "2.25", "33.98"),
    ]
    assert (total["entry_id"], total["hours"], total["amount"]) == ("TOTAL", "5.83", "82.19")
    assert await finance.finance_export(db, "2025-01") == (
        "entry_id,member_id,member_name,role,kind,worked_on,hours,hourly_rate,amount\r\nTOTAL,,,,,,0.00,,0.00\r\n"
    )


async def test_names_that_a_spreadsheet_would_run_as_formulas_are_exported_as_plain_text(db, holder):
    formula, _ = await holder("=HYPERLINK(1)", title="@SUM(A1)")
    plain, _ = await holder("Sam")
    await attended(db, 1, formula.id, plain.id)
    lines = list(csv.DictReader(io.StringIO(await finance.finance_export(db, "2026-11"))))
    assert {(line["member_name"], line["role"]) for line in lines[:-1]} == {
        ("'=HYPERLINK(1)", "'@SUM(A1)"),
        ("Sam", "Facilitator"),
    }
