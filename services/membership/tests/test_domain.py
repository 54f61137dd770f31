"""Pure rules of membership, without a database, broker or web server."""

from datetime import date, timedelta

import pytest

from membership import domain
from membership.domain import Holding


def test_a_persons_own_words_are_kept_and_suggestions_take_their_usual_spelling():
    labels = domain.tidy_labels(
        ["  carer ", "Carer", "", "peer   supporter", "LIVED EXPERIENCE"], domain.SUGGESTED_CONNECTIONS
    )
    assert labels == ["Carer", "peer supporter", "Lived experience"]


def test_an_overlong_description_is_refused_kindly():
    with pytest.raises(ValueError, match="under 100 characters"):
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
        with pytest.raises(ValueError):
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
        with pytest.raises(ValueError, match="YYYY-MM"):
            domain.month_bounds(bad)


def test_names_that_a_spreadsheet_would_run_as_formulas_are_made_plain():
    assert domain.spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert domain.spreadsheet_safe("Sam") == "Sam"


def test_a_preferred_way_of_contact_needs_the_matching_detail():
    assert domain.missing_contact("email", None, "01733 123456", None) == (
        "You chose to be contacted by email: please also give an email address."
    )
    assert domain.missing_contact("post", None, None, "1 High St") is None
    assert domain.missing_contact(None, None, None, None) is None
