"""Involvement roles advertised, interest noted without an interview, roles given and ended: the use
cases called directly on SQLite."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from forum_shared.errors import Conflict, NotFound, RuleBroken
from forum_shared.events import InvolvementRoleAdvertised, InvolvementRoleAssigned, InvolvementRoleEnded
from membership import domain
from membership.domain import InterestStatus
from membership.schemas import AssignmentCreate, AssignmentEnd, ChatArrange, InterestCreate
from membership.service import holdings, interest, members, roles

JAN_1 = date(2026, 1, 1)


async def give(db, staff, role_id: str, member_id: str, starts_on: date = JAN_1):
    return await holdings.assign_role(db, staff, role_id, AssignmentCreate(member_id=member_id, starts_on=starts_on))


async def test_an_advertised_role_is_announced_and_read_with_its_pay_hours_and_places(db, role, recorded, audited):
    closing = domain.today() + timedelta(days=14)
    made = await role(closing_date=closing)
    assert (made.hours_per_month, made.hourly_rate, made.vacancies_left, made.open) == (
        Decimal("6.00"), Decimal("12.50"), 2, True
    )
    [event] = await recorded(db, InvolvementRoleAdvertised)
    assert (event.role_id, event.title, event.paid, event.closing_date) == (made.id, "Facilitator", True, closing)
    assert ("account:staff-1", "role.advertised", f"role:{made.id}", {}) in await audited(db)


async def test_a_role_may_take_more_than_a_days_hours_in_a_month(db, role):
    co_chair = await role(title="Co-chair", hours_per_month="30.5")
    assert (await roles.get_role(db, co_chair.id)).hours_per_month == Decimal("30.50")


async def test_a_voluntary_role_has_no_hourly_rate(db, role):
    reader = await role(paid=False, hourly_rate=None)
    assert (reader.paid, reader.hourly_rate, reader.hourly_rate_pence) == (False, None, 0)


async def test_only_roles_still_taking_interest_are_listed_as_open(db, role, monkeypatch):
    closes_today = await role(title="Closes today", closing_date=domain.today())
    no_closing = await role(title="Always open")
    tomorrow = domain.today() + timedelta(days=1)
    monkeypatch.setattr(domain, "today", lambda: tomorrow)
    assert [r.id for r in await roles.list_roles(db, open_only=True)] == [no_closing.id]
    assert [r.id for r in await roles.list_roles(db)] == [closes_today.id, no_closing.id]
    with pytest.raises(NotFound, match="no involvement role"):
        await roles.get_role(db, "nothing")


async def test_a_member_notes_interest_once_with_a_short_note_and_it_is_audited_by_id(
    db, role, member, staff, audited
):
    facilitator, eve = await role(), await member("Eve")
    asked = InterestCreate(member_id=eve.id, note=" Ran a carers' group. ", would_like_a_chat=True)
    noted = await interest.note_interest(db, staff, facilitator.id, asked)
    assert (noted.display_name, noted.note, noted.status, noted.would_like_a_chat) == (
        "Eve", "Ran a carers' group.", InterestStatus.interested, True
    )
    assert (
        "account:staff-1", "interest.noted", f"interest:{noted.id}", {"role_id": facilitator.id, "member_id": eve.id}
    ) in await audited(db)
    with pytest.raises(Conflict, match="already noted"):
        await interest.note_interest(db, staff, facilitator.id, InterestCreate(member_id=eve.id))
    assert [i.id for i in await interest.interests_in_role(db, facilitator.id)] == [noted.id]


async def test_interest_is_refused_from_someone_who_left_in_a_closed_role_or_a_role_that_does_not_exist(
    db, role, member, staff, monkeypatch
):
    fay, gus = await member("Fay"), await member("Gus")
    open_role = await role()
    await members.leave(db, staff, fay.id)
    with pytest.raises(Conflict, match="has left the forum"):
        await interest.note_interest(db, staff, open_role.id, InterestCreate(member_id=fay.id))
    closing = await role(title="Closing", closing_date=domain.today())
    tomorrow = domain.today() + timedelta(days=1)
    monkeypatch.setattr(domain, "today", lambda: tomorrow)
    with pytest.raises(Conflict, match="closed on"):
        await interest.note_interest(db, staff, closing.id, InterestCreate(member_id=gus.id))
    with pytest.raises(NotFound):
        await interest.note_interest(db, staff, "nothing", InterestCreate(member_id=gus.id))
    with pytest.raises(NotFound):
        await interest.note_interest(db, staff, open_role.id, InterestCreate(member_id="nobody"))


async def test_staff_arrange_an_informal_chat(db, role, member, staff, audited):
    facilitator, hal = await role(), await member("Hal")
    noted = await interest.note_interest(db, staff, facilitator.id, InterestCreate(member_id=hal.id))
    chat_on = domain.today() + timedelta(days=3)
    arranged = await interest.arrange_chat(db, staff, noted.id, ChatArrange(chat_on=chat_on, note="Library café"))
    assert (arranged.status, arranged.chat_on, arranged.chat_note) == (
        InterestStatus.chat_arranged, chat_on, "Library café"
    )
    assert ("account:staff-1", "interest.chat_arranged", f"interest:{noted.id}", {}) in await audited(db)
    with pytest.raises(NotFound):
        await interest.arrange_chat(db, staff, "nothing", ChatArrange())


async def test_every_role_is_listed_with_the_members_interested_in_it(db, role, member, staff):
    await role(title="First")
    second = await role(title="Second")
    ivy, jon = await member("Ivy"), await member("Jon")
    await interest.note_interest(db, staff, second.id, InterestCreate(member_id=ivy.id))
    await interest.note_interest(db, staff, second.id, InterestCreate(member_id=jon.id))
    by_role = await interest.interests_by_role(db)
    assert [(r.title, [i.display_name for i in found]) for r, found in by_role] == [
        ("First", []),
        ("Second", ["Ivy", "Jon"]),
    ]


async def test_giving_a_role_announces_it_settles_the_interest_and_fills_a_place(
    db, role, member, staff, recorded, audited
):
    facilitator, kay = await role(), await member("Kay")
    await interest.note_interest(db, staff, facilitator.id, InterestCreate(member_id=kay.id))
    holding = await give(db, staff, facilitator.id, kay.id)
    assert (holding.display_name, holding.role_title, holding.starts_on, holding.current) == (
        "Kay", "Facilitator", JAN_1, True
    )
    assert (await roles.get_role(db, facilitator.id)).vacancies_left == 1
    [status] = [i.status for i in await interest.interests_in_role(db, facilitator.id)]
    assert status == InterestStatus.assigned
    [event] = await recorded(db, InvolvementRoleAssigned)
    assert (event.assignment_id, event.member_id, event.role_title, event.starts_on) == (
        holding.id, kay.id, "Facilitator", JAN_1
    )
    details = {"role_id": facilitator.id, "member_id": kay.id}
    assert ("account:staff-1", "role.assigned", f"assignment:{holding.id}", details) in await audited(db)


async def test_a_role_is_not_given_twice_at_once_nor_beyond_its_places_nor_to_someone_who_left(
    db, role, member, staff
):
    one_place = await role(vacancies=1)
    gil, hal, ida = await member("Gil"), await member("Hal"), await member("Ida")
    await give(db, staff, one_place.id, gil.id)
    with pytest.raises(Conflict, match="already holds"):
        await give(db, staff, one_place.id, gil.id, date(2026, 2, 1))
    with pytest.raises(Conflict, match=r"All 1 place\(s\)"):
        await give(db, staff, one_place.id, hal.id, date(2026, 3, 1))
    await members.leave(db, staff, ida.id)
    with pytest.raises(Conflict, match="has left the forum"):
        await give(db, staff, (await role()).id, ida.id)
    with pytest.raises(NotFound):
        await give(db, staff, "nothing", hal.id)


async def test_ending_a_holding_frees_its_place_from_the_next_day_and_keeps_it_in_the_history(
    db, role, member, staff, recorded, audited
):
    one_place = await role(vacancies=1)
    gil, hal = await member("Gil"), await member("Hal")
    first = await give(db, staff, one_place.id, gil.id)
    ended = await holdings.end_holding(db, staff, first.id, AssignmentEnd(ends_on=date(2026, 2, 28)))
    assert (ended.ends_on, ended.current) == (date(2026, 2, 28), False) and ended.ended_at is not None
    await give(db, staff, one_place.id, hal.id, date(2026, 3, 1))
    history = await holdings.role_history(db, one_place.id)
    assert [(h.display_name, h.starts_on, h.ends_on) for h in history] == [
        ("Gil", JAN_1, date(2026, 2, 28)),
        ("Hal", date(2026, 3, 1), None),
    ]
    [event] = await recorded(db, InvolvementRoleEnded)
    assert (event.assignment_id, event.member_id, event.ends_on) == (first.id, gil.id, date(2026, 2, 28))
    assert ("account:staff-1", "role.ended", f"assignment:{first.id}", {}) in await audited(db)


async def test_a_holding_cannot_end_before_it_starts_nor_end_twice(db, role, member, staff, recorded):
    gil = await member("Gil")
    holding = await give(db, staff, (await role()).id, gil.id)
    with pytest.raises(RuleBroken, match="cannot be before the start date"):
        await holdings.end_holding(db, staff, holding.id, AssignmentEnd(ends_on=date(2025, 12, 31)))
    await holdings.end_holding(db, staff, holding.id, AssignmentEnd(ends_on=JAN_1))
    with pytest.raises(Conflict, match="already ends on"):
        await holdings.end_holding(db, staff, holding.id, AssignmentEnd(ends_on=date(2026, 3, 31)))
    assert len(await recorded(db, InvolvementRoleEnded)) == 1
    with pytest.raises(NotFound):
        await holdings.end_holding(db, staff, "nothing", AssignmentEnd(ends_on=JAN_1))


async def test_a_members_roles_and_todays_holders_are_read_from_the_holdings(db, role, member, staff):
    ann, bo = await member("ann"), await member("Bo")
    past = date(2025, 1, 1)
    for who, title, starts_on in ((bo, "Reader", past), (ann, "Greeter", past), (ann, "Co-chair", past)):
        made = await role(title=title)
        await give(db, staff, made.id, who.id, starts_on)
    future = await role(title="Next year")
    await give(db, staff, future.id, bo.id, domain.today() + timedelta(days=365))
    assert [(h.display_name, h.role_title) for h in await holdings.current_holders(db)] == [
        ("ann", "Co-chair"),
        ("ann", "Greeter"),
        ("Bo", "Reader"),
    ]
    assert [h.role_title for h in await holdings.member_roles(db, bo.id)] == ["Reader", "Next year"]
    with pytest.raises(NotFound):
        await holdings.member_roles(db, "nobody")
