"""Pure rules of membership, without a database, broker or web server."""

from datetime import UTC, date, datetime, timedelta
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


def test_email_with_a_topic_goes_only_to_members_who_agreed_to_what_it_is_about():
    roles = domain.ConsentPurpose.involvement_opportunities
    yes, no = {roles: True}, {roles: False}
    assert domain.may_email(None, {})  # a direct answer to something they did
    assert domain.may_email(domain.ROLES_TOPIC, yes)
    assert not domain.may_email(domain.ROLES_TOPIC, no)
    assert not domain.may_email(domain.ROLES_TOPIC, {})  # no answer is no
    assert not domain.may_email(domain.ROLES_TOPIC, {domain.ConsentPurpose.forum_news: True})
    assert not domain.may_email("membership.unknown", yes)


def test_a_sign_in_link_works_once_and_for_a_quarter_of_an_hour():
    made = datetime(2026, 3, 3, 14, tzinfo=UTC)
    expires = made + domain.SIGN_IN_LINK_LIFETIME
    assert domain.sign_in_link_state(expires, None, made + timedelta(minutes=14)) == domain.LinkState.usable
    assert domain.sign_in_link_state(expires, None, made + timedelta(minutes=15)) == domain.LinkState.expired
    assert domain.sign_in_link_state(expires, made, made) == domain.LinkState.used
    assert domain.may_send_sign_in_link(2) and not domain.may_send_sign_in_link(3)


SITES = ["https://meetings.example.org/", "http://127.0.0.1:8102"]


@pytest.mark.parametrize(
    "next_url, wanted",
    [
        ("/your-membership", "/your-membership"),
        ("https://meetings.example.org/meetings/1?x=1", "https://meetings.example.org/meetings/1?x=1"),
        ("HTTPS://Meetings.Example.org:443/m", "HTTPS://Meetings.Example.org:443/m"),
        ("http://127.0.0.1:8102/upcoming-meetings", "http://127.0.0.1:8102/upcoming-meetings"),
        ("http://127.0.0.1:8103/", None),  # another port is another site
        ("http://meetings.example.org/", None),  # not over HTTPS as configured
        ("https://meetings.example.org.evil.example/", None),
        ("https://meetings.example.org@evil.example/", None),
        ("https://evil.example/?https://meetings.example.org/", None),
        ("//evil.example/", None),
        ("/\\evil.example/", None),
        ("javascript:alert(1)", None),
        ("https://meetings.example.org/\r\nSet-Cookie: x", None),
        ("", None),
        (None, None),
    ],
)
def test_after_signing_in_a_member_is_sent_only_here_or_to_the_forums_own_sites(next_url, wanted):
    assert domain.safe_next(next_url, SITES) == wanted


def test_a_pass_is_for_the_origin_a_browser_would_name_and_replaces_any_pass_in_the_query():
    assert domain.forum_site_origin("HTTPS://Meetings.Example.org:443/m", SITES) == "https://meetings.example.org"
    assert domain.origin("http://127.0.0.1:8102/x") == "http://127.0.0.1:8102"
    assert domain.with_query("https://m.example.org/r?a=1&pass=old#top", "pass", "new") == (
        "https://m.example.org/r?a=1&pass=new#top"
    )
