"""Pure rules: places and distances, staleness, days, personal details. No database, broker or web."""

from datetime import date

import pytest

from forum_shared.errors import Invalid, RuleBroken
from signposting import domain


def test_postcodes_and_districts_reduce_to_their_outward_code():
    assert domain.outward_code_of("pe13 1eu") == "PE13"
    assert domain.outward_code_of("CB41NP") == "CB4"
    assert domain.outward_code_of(" PE1 ") == "PE1"
    for text in ("", "Wisbech", "PE1 1", "12345"):
        with pytest.raises(Invalid, match="not a UK postcode"):
            domain.outward_code_of(text)
    with pytest.raises(RuleBroken, match="not a postcode district this directory covers"):
        domain.find_postcode("SW1A 1AA")


def test_the_bundled_districts_cover_the_county_and_nothing_else():
    codes = domain.outward_codes()
    assert {f"CB{n}" for n in (1, 2, 3, 4, 5, 6, 7, 21, 22, 23, 24, 25)} <= set(codes)
    assert {f"PE{n}" for n in (1, 2, 3, 4, 6, 7, 13, 15, 16, 19, 26, 27, 28, 29)} <= set(codes)
    assert not {"PE10", "PE11", "PE30", "PE38", "CB11"} & set(codes)  # Lincolnshire, Norfolk, Essex
    assert {c.district for c in codes.values()} == {
        "Cambridge", "South Cambridgeshire", "East Cambridgeshire", "Fenland", "Huntingdonshire", "Peterborough"
    }
    for code in codes.values():  # inside a box around the county
        assert 51.9 < code.latitude < 52.8 and -0.6 < code.longitude < 0.6, code


def test_an_area_may_be_a_district_a_town_or_a_postcode_district():
    fenland = domain.find_area("fenland")
    assert {"PE13", "PE14", "PE15", "PE16"} == fenland.outward_codes
    assert {"fenland", "pe15", "march", "cambridgeshire and peterborough"} <= fenland.keys
    wisbech = domain.find_area("Wisbech")
    assert wisbech.outward_codes == {"PE13"} and "fenland" in wisbech.keys and "pe15" not in wisbech.keys
    huntingdon = domain.find_area("Huntingdon")
    assert huntingdon.outward_codes == {"PE29"} and "huntingdonshire" in huntingdon.keys
    unknown = domain.find_area("Narnia")
    assert (unknown.keys, unknown.centre) == (frozenset({"narnia"}), None)
    assert domain.find_area("Cambridgeshire").whole_county


def test_haversine_gives_the_distance_in_metres():
    cambridge, peterborough = (52.2053, 0.1218), (52.5695, -0.2405)
    assert domain.haversine_m(*cambridge, *peterborough) == pytest.approx(47_700, rel=0.02)
    assert domain.haversine_m(*cambridge, *cambridge) == 0
    lat_min, lat_max, lon_min, lon_max = domain.bounding_box(*cambridge, 10_000)
    for point in ((52.29, 0.1218), (52.2053, 0.26)):  # just under 10 km north and east
        assert domain.haversine_m(*cambridge, *point) < 10_000
        assert lat_min <= point[0] <= lat_max and lon_min <= point[1] <= lon_max


def test_a_listing_goes_stale_twelve_months_after_it_was_last_verified():
    today = date(2026, 11, 27)
    assert not domain.is_stale(date(2025, 11, 28), today)
    assert domain.is_stale(date(2025, 11, 27), today)
    assert domain.is_stale(None, today)
    assert domain.stale_on_or_before(date(2028, 2, 29)) == date(2027, 2, 28)


def test_days_may_be_codes_names_or_dates():
    assert [domain.day_code(d) for d in ("MO", "tuesday", "Wed", "2026-12-03")] == ["MO", "TU", "WE", "TH"]
    with pytest.raises(Invalid, match="is not a day"):
        domain.day_code("soon")


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("ring 07700 900123", "phone"),
        ("jo@example.org", "email"),
        ("lives at PE13 2AB", "full postcode"),
        ("dob 1/2/1970", "date"),
        ("housing", None),
        ("18-25 year olds", None),
        ("PE13", None),
    ],
)
def test_personal_details_are_spotted_in_free_text(text, reason):
    found = domain.personal_detail_in(text)
    assert (found is None) if reason is None else (reason in found)


def test_words_in_the_name_count_more_and_pages_round_up():
    assert domain.relevance(["carers"], "Carers Group", "carers group") == 3
    assert domain.relevance(["carers"], "Support", "support by the carers trust") == 1
    assert domain.words_of("Mental-health, & carers!") == ["mental-health", "&", "carers"]
    assert [domain.total_pages(n, 20) for n in (0, 1, 20, 21)] == [1, 1, 1, 2]


def test_the_schemas_used_by_the_tests_do_catch_a_bad_response(schemas):
    with pytest.raises(AssertionError, match="description"):
        schemas.check_oruk("organization", {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "No description"})
    with pytest.raises(AssertionError, match="uuid"):
        schemas.check_hsds("service.json", {"id": "42", "name": "x", "status": "active"})
    with pytest.raises(AssertionError, match="is not one of"):
        schemas.check_hsds(
            "service.json", {"id": "d9d5e0f5-d3ce-4f73-9a2f-4dd0ecc6c610", "name": "x", "status": "open"}
        )
    with pytest.raises(AssertionError, match="total_pages"):
        schemas.check_page(
            {},
            {
                "total_items": 0,
                "page_number": 1,
                "size": 0,
                "first_page": True,
                "last_page": True,
                "empty": True,
                "contents": [],
            },
        )
