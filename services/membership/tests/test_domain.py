"""Pure rules of membership, without a database, broker or web server."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from forum_shared.errors import RuleBroken
from membership import domain
from membership.domain import Holding


def test_a_persons_own_words_are_kept_and_suggestions_take_their_usual_spelling():
    labels = domain.tidy_labels(
        ["  carer ", "Carer", "", "peer   supporter", "LIVED EXPERIENCE"], domain.SUGGESTED_CONNECTIONS
    )
    assert labels == ["Carer", "peer supporter", "Lived experience"]


def test_an_overlong_description_is_refused_kindly():
    with pytest.raises(RuleBroken, match="under 100 characters"):
        domain.tidy_labels(["x" * 101], domain.SUGGESTED_CONNECTIONS)


def test_areas_are_tidied_and_full_postcodes_count_as_their_district():
    assert domain.tidy_area(" fenland ") == "Fenland"
    assert domain.tidy_area("pe13 1ab") == "PE13 1AB"
    assert domain.tidy_area("pe131ab") == "PE13 1AB"
    assert domain.tidy_area("   ") is None
    assert domain.area_key("PE13 1AB") == domain.area_key("pe13") == "PE13"
    assert domain.area_key("Wisbech") == domain.area_key("WISBECH")
    assert domain.area_label("pe13 1ab") == "PE13"


def test_small_counts_are_hidden():
    rows = domain.safe_counts({"Fenland": 12, "Cambridge": 9, "Peterborough": 3, "Ely": 2})
    assert [(r.label, r.count, r.shown) for r in rows] == [
        ("Fenland", 12, "12"),
        ("Cambridge", 9, "9"),
        ("Peterborough", None, "fewer than 5"),
        ("Ely", None, "fewer than 5"),
    ]


def test_a_lone_hidden_count_takes_the_next_smallest_with_it_so_it_cannot_be_worked_out():
    rows = domain.safe_counts({"Fenland": 12, "Cambridge": 9, "Ely": 4})
    assert {r.label: r.count for r in rows} == {"Fenland": 12, "Cambridge": None, "Ely": None}


def test_counts_at_the_threshold_are_shown():
    rows = domain.safe_counts({"Fenland": 5, "Cambridge": 6})
    assert [r.count for r in rows] == [6, 5]
    assert domain.safe_total(4).shown == "fewer than 5"
    assert domain.safe_total(5).count == 5


def test_time_is_kept_in_hundredths_of_an_hour_and_nonsense_lengths_are_refused():
    assert domain.hundredths_of(1.5) == 150
    assert domain.hundredths_of(2.005) == 201
    assert str(domain.hours(150)) == "1.50"
    for bad in (0, -1, 24.01, float("nan"), float("inf")):
        with pytest.raises(RuleBroken):
            domain.hundredths_of(bad)


def test_pay_is_rounded_to_the_nearest_penny_with_halves_up():
    assert domain.pay_pence(150, 1250) == 1875  # 1.5 h at £12.50
    assert domain.pay_pence(33, 1001) == 330  # 330.33p
    assert domain.pay_pence(50, 1001) == 501  # 500.5p rounds up
    assert domain.pounds(1875) == "18.75"
    assert domain.pounds(5) == "0.05"


def test_time_counts_under_the_best_paid_role_held_that_day():
    day = date(2026, 11, 10)
    voluntary = Holding("v", date(2026, 1, 1), None, False, 0)
    paid = Holding("p", date(2026, 6, 1), None, True, 1200)
    better = Holding("b", date(2026, 11, 1), date(2026, 11, 5), True, 1500)
    assert domain.holding_for([voluntary, paid, better], day).assignment_id == "p"
    assert domain.holding_for([voluntary, paid, better], date(2026, 11, 3)).assignment_id == "b"
    assert domain.holding_for([voluntary], day).assignment_id == "v"
    assert domain.holding_for([paid], date(2026, 5, 31)) is None


def test_holdings_overlap_when_their_days_meet():
    d = date(2026, 1, 1)
    assert domain.overlaps(d, None, d + timedelta(days=100), None)
    assert domain.overlaps(d, d, d, d)
    assert not domain.overlaps(d, d + timedelta(days=9), d + timedelta(days=10), None)


def test_a_month_is_written_as_year_and_month():
    assert domain.month_bounds("2026-12") == (date(2026, 12, 1), date(2027, 1, 1))
    for bad in ("2026-13", "Nov 2026", "2026-1"):
        with pytest.raises(RuleBroken, match="YYYY-MM"):
            domain.month_bounds(bad)


def test_a_role_may_take_any_number_of_hours_a_month_and_rates_are_kept_in_pence():
    assert domain.to_hundredths(Decimal("30.5")) == 3050
    assert domain.pence_of(Decimal("12.50")) == 1250
    with pytest.raises(RuleBroken, match="not a length of time"):
        domain.to_hundredths(float("nan"))


def test_time_can_count_under_a_chosen_role_only_on_a_day_it_was_held():
    held = Holding("h", date(2026, 6, 1), date(2026, 6, 30), True, 1200)
    assert domain.chosen_holding([held], "h", date(2026, 6, 30)) == held
    for day, wanted in ((date(2026, 7, 1), "h"), (date(2026, 6, 15), "other")):
        with pytest.raises(RuleBroken, match="did not hold that role"):
            domain.chosen_holding([held], wanted, day)


def test_a_role_is_open_until_the_end_of_its_closing_day():
    day = date(2026, 11, 10)
    assert domain.is_open(None, day) and domain.is_open(day, day)
    assert not domain.is_open(day - timedelta(days=1), day)


def test_places_left_count_only_holdings_that_cover_today():
    day = date(2026, 11, 10)
    spans = [(date(2026, 1, 1), None), (date(2026, 1, 1), date(2026, 11, 9)), (date(2026, 12, 1), None)]
    assert domain.places_left(2, spans, day) == 1
    assert domain.places_left(1, [*spans, (day, day)], day) == 0


def test_a_holding_cannot_end_before_it_starts_and_leaving_ends_one_not_yet_begun_on_its_first_day():
    start = date(2026, 3, 1)
    domain.require_end_not_before_start(start, start)
    with pytest.raises(RuleBroken, match="cannot be before the start date"):
        domain.require_end_not_before_start(start, start - timedelta(days=1))
    assert domain.last_day_on_leaving(start, date(2026, 5, 1)) == date(2026, 5, 1)
    assert domain.last_day_on_leaving(start, date(2026, 2, 1)) == start


def test_a_preferred_way_of_contact_needs_the_matching_detail():
    assert domain.missing_contact("email", None, "01733 123456", None) == (
        "You chose to be contacted by email: please also give an email address."
    )
    assert domain.missing_contact("post", None, None, "1 High St") is None
    assert domain.missing_contact(None, None, None, None) is None
    with pytest.raises(RuleBroken, match="please also give a phone number"):
        domain.require_contact("phone", "a@example.org", None, None)
    domain.require_contact("phone", None, "01733 123456", None)
