"""The pure rules of meetings and pop-up forums, without a database, broker or web server."""

from datetime import UTC, date, datetime, timedelta

import pytest

from forum_shared.errors import RuleBroken
from meetings import domain
from meetings.domain import RegistrationStatus, RoleHolding

AREAS = ["Cambridge", "Peterborough", "Huntingdon", "Fenland"]


def test_a_time_without_an_offset_is_read_as_london_time_in_summer_and_winter():
    summer = domain.to_london(datetime(2026, 7, 2, 19, 0))
    winter = domain.to_london(datetime(2026, 12, 3, 19, 0))
    assert summer.astimezone(UTC).hour == 18
    assert winter.astimezone(UTC).hour == 19
    assert (summer.hour, winter.hour) == (19, 19)


def test_a_time_with_an_offset_keeps_its_moment_and_is_shown_in_london_time():
    moment = domain.to_london(datetime(2026, 10, 24, 17, 0, tzinfo=UTC))
    assert moment.hour == 18 and moment.utcoffset() == timedelta(hours=1)
    after_change = domain.to_london(datetime(2026, 10, 26, 18, 0, tzinfo=UTC))
    assert after_change.hour == 18 and after_change.utcoffset() == timedelta(0)


def test_a_time_the_clocks_skip_in_march_is_refused():
    with pytest.raises(RuleBroken, match="clocks go forward"):
        domain.to_london(datetime(2027, 3, 28, 1, 30))


def test_a_time_the_clocks_show_twice_in_october_is_refused_unless_its_offset_is_given():
    with pytest.raises(RuleBroken, match="happens twice"):
        domain.to_london(datetime(2026, 10, 25, 1, 30))
    assert domain.to_london(datetime.fromisoformat("2026-10-25T01:30:00+00:00")).hour == 1


def test_the_local_day_of_a_late_evening_meeting_in_summer_is_the_london_day():
    assert domain.local_day(datetime(2026, 6, 30, 23, 30, tzinfo=UTC)) == date(2026, 7, 1)


def test_a_meeting_must_end_after_it_starts_and_within_twelve_hours():
    start = datetime(2026, 12, 3, 14, tzinfo=UTC)
    with pytest.raises(RuleBroken, match="end must be after"):
        domain.check_times(start, start)
    with pytest.raises(RuleBroken, match="12 hours"):
        domain.check_times(start, start + timedelta(hours=13))


def test_a_meeting_needs_a_venue_with_an_area_or_an_online_link():
    assert domain.attendance_mode("Library", None) == "in_person"
    assert domain.attendance_mode(None, "https://meet.example") == "online"
    assert domain.attendance_mode("Library", "https://meet.example") == "hybrid"
    with pytest.raises(RuleBroken, match="venue, an online link"):
        domain.check_place(None, None, None)
    with pytest.raises(RuleBroken, match="which area"):
        domain.check_place("Library", None, None)
    with pytest.raises(RuleBroken, match="online-only"):
        domain.check_place(None, "Fenland", "https://meet.example")


def test_an_area_is_matched_to_the_configured_spelling_or_refused_with_the_choices():
    assert domain.match_area(" fenland ", AREAS) == "Fenland"
    with pytest.raises(RuleBroken, match="Choose one of: Cambridge, Peterborough"):
        domain.match_area("Norwich", AREAS)


def test_the_suggested_area_is_one_never_visited_then_the_least_recently_visited():
    visits = {"Cambridge": date(2026, 9, 1), "Peterborough": date(2026, 10, 1)}
    assert domain.suggest_area(AREAS, visits) == "Huntingdon"
    visits.update(Huntingdon=date(2026, 11, 1), Fenland=date(2026, 8, 1))
    assert domain.suggest_area(AREAS, visits) == "Fenland"


def test_a_meeting_in_the_same_area_as_the_previous_one_gets_a_warning():
    warning = domain.same_area_warning("Fenland", ("Fenland", date(2026, 11, 5)), "Huntingdon")
    assert "previous meeting (5 November 2026) was also in Fenland" in warning
    assert "Huntingdon has waited longest" in warning
    assert domain.same_area_warning("Cambridge", ("Fenland", date(2026, 11, 5)), "Huntingdon") is None
    assert domain.same_area_warning("Fenland", None, "Huntingdon") is None


def test_places_are_given_up_to_capacity_then_people_wait():
    assert domain.place_for(2, 1) == RegistrationStatus.registered
    assert domain.place_for(2, 2) == RegistrationStatus.waiting
    assert domain.place_for(None, 500) == RegistrationStatus.registered
    assert domain.places_to_offer(3, 2, 5) == 1
    assert domain.places_to_offer(3, 3, 5) == 0
    assert domain.places_to_offer(None, 3, 2) == 2


def test_an_action_is_carried_forward_only_to_meetings_after_its_due_date():
    assert domain.overdue_at(date(2026, 11, 30), date(2026, 12, 3))
    assert not domain.overdue_at(date(2026, 12, 3), date(2026, 12, 3))
    assert not domain.overdue_at(None, date(2026, 12, 3))


HOLDERS = [
    RoleHolding("amara", date(2026, 1, 1), None),
    RoleHolding("ben", date(2026, 1, 1), date(2026, 6, 30)),
    RoleHolding("cai", None, date(2026, 12, 31)),  # only the end has reached us so far
    RoleHolding("dee", date(2026, 3, 1), None),
]
DAY = {date(2026, 11, 20)}


def test_a_pop_up_with_one_facilitator_is_refused_with_a_clear_message():
    with pytest.raises(RuleBroken, match="exactly two facilitators .* 1 was given"):
        domain.check_facilitators(["amara"], HOLDERS, DAY)
    with pytest.raises(RuleBroken, match="3 were given"):
        domain.check_facilitators(["amara", "dee", "ben"], HOLDERS, DAY)


def test_a_pop_up_needs_two_different_people():
    with pytest.raises(RuleBroken, match="two different members"):
        domain.check_facilitators(["amara", "amara"], HOLDERS, DAY)


def test_a_pop_up_with_someone_whose_role_has_ended_is_refused():
    with pytest.raises(RuleBroken, match="Member ben does not currently hold an involvement role"):
        domain.check_facilitators(["amara", "ben"], HOLDERS, DAY)
    with pytest.raises(RuleBroken, match="Member cai"):
        domain.check_facilitators(["amara", "cai"], HOLDERS, DAY)
    with pytest.raises(RuleBroken, match="Member zed"):
        domain.check_facilitators(["zed", "amara"], HOLDERS, DAY)


def test_two_current_role_holders_may_facilitate_but_only_on_days_they_hold_a_role():
    assert domain.check_facilitators([" amara", "dee"], HOLDERS, DAY) == ["amara", "dee"]
    with pytest.raises(RuleBroken, match="Member dee"):
        domain.check_facilitators(["amara", "dee"], HOLDERS, {date(2026, 2, 1)})


def test_one_year_before_a_leap_day_is_the_28th_of_february():
    assert domain.one_year_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_an_action_is_carried_forward_once_it_is_overdue_both_today_and_on_the_meetings_day():
    today, next_week = date(2026, 12, 1), date(2026, 12, 8)
    assert domain.carried_forward(date(2026, 11, 30), next_week, today)
    assert not domain.carried_forward(date(2026, 12, 1), next_week, today), "due today is not overdue yet"
    assert not domain.carried_forward(date(2026, 12, 3), next_week, today), "due after today is not overdue yet"
    assert not domain.carried_forward(date(2026, 11, 30), date(2026, 11, 30), today), "not before its own day"
    assert not domain.carried_forward(None, next_week, today)


def test_a_pop_up_takes_the_area_given_or_the_first_of_its_groups_areas_that_the_forum_knows():
    assert domain.pop_up_area(" fenland", ["Cambridge"], AREAS) == "Fenland"
    assert domain.pop_up_area(None, ["Wisbech", "fenland ", "Cambridge"], AREAS) == "Fenland"
    assert domain.pop_up_area(None, ["Ramsey", "PE26"], AREAS) is None
    with pytest.raises(RuleBroken, match="'Norwich' is not one of the forum's areas"):
        domain.pop_up_area("Norwich", ["Cambridge"], AREAS)


def test_times_are_read_in_london_and_checked_together():
    start, end = domain.london_times(datetime(2026, 7, 2, 19), datetime(2026, 7, 2, 21))
    assert (start.utcoffset(), end.hour) == (timedelta(hours=1), 21)
    with pytest.raises(RuleBroken, match="end must be after"):
        domain.london_times(datetime(2026, 7, 2, 19), datetime(2026, 7, 2, 18))


def test_access_support_is_named_in_plain_words():
    assert domain.access_label("bsl_interpreter") == "BSL interpreter"
    assert domain.access_label("a_new_kind") == "a new kind"
