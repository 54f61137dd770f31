"""Searching the directory, called directly on SQLite: the one search of the open API and the
pages, which only reads."""

import pytest

from forum_shared.errors import Invalid
from signposting.domain import ServiceQuery
from signposting.service import finding, reports


async def _names(db, **query) -> list[str]:
    return [s["name"] for s in (await finding.find_services(db, ServiceQuery(per_page=100, **query))).services]


async def test_a_postcode_finds_the_services_covering_it_nearest_first(db, small_directory):
    await small_directory(db)
    assert await _names(db, postcode="PE13") == ["Wisbech Wellbeing Cafe", "Countywide Listening Line"]
    assert await _names(db, postcode="pe15 8aa") == [
        "March Carers Group",
        "Wisbech Wellbeing Cafe",
        "Countywide Listening Line",
    ]
    found = await finding.find_services(db, ServiceQuery(postcode="PE13"))
    assert found.distances[found.services[0]["id"]] < 1000


async def test_a_need_includes_the_needs_under_it_and_days_and_languages_narrow_the_search(db, small_directory):
    ids = await small_directory(db)
    assert set(await _names(db, taxonomy_term_ids=(ids["Mental health"],))) == {
        "Wisbech Wellbeing Cafe",
        "Cambridge Hearing Voices Group",
        "Countywide Listening Line",
        "Peterborough Anxiety Support",
    }
    assert await _names(db, day="thursday") == ["Countywide Listening Line", "March Carers Group"]
    assert await _names(db, language="pl") == ["Wisbech Wellbeing Cafe"]
    assert await _names(db, accessibility="lift") == ["Peterborough Anxiety Support"]


async def test_words_in_a_name_rank_above_words_elsewhere_and_pages_are_counted_in_full(db, small_directory):
    await small_directory(db)
    assert await _names(db, search="carers") == ["March Carers Group", "Peterborough Anxiety Support"]
    second = await finding.find_services(db, ServiceQuery(page=2, per_page=2))
    assert (len(second.services), second.total) == (2, 5)


async def test_words_with_a_need_or_a_proximity_are_counted_by_the_page_query_itself(db, small_directory):
    ids = await small_directory(db)
    mental_health = (ids["Mental health"],)
    found = await finding.find_services(db, ServiceQuery(search="support", taxonomy_term_ids=mental_health))
    assert ([s["name"] for s in found.services], found.total) == (["Peterborough Anxiety Support"], 1)
    for nothing in (
        ServiceQuery(search="gambling", taxonomy_term_ids=mental_health),
        ServiceQuery(search="gambling", postcode="PE13", proximity=5000),
        ServiceQuery(search="support", taxonomy_term_ids=mental_health, page=2, per_page=1),
    ):
        found = await finding.find_services(db, nothing)
        assert (found.services, found.total) == ([], 0 if nothing.search == "gambling" else 1)


async def test_a_need_day_or_language_within_reach_keeps_only_what_meets_both_nearest_first(db, small_directory):
    ids = await small_directory(db)
    # Within 40 km of PE1: Peterborough's library (in PE1), Wisbech's (about 29 km away) and March's
    # centre (placed at its postcode district's centre, about 22 km), not Cambridge's (about 47 km);
    # the helpline has no place.
    near = {"postcode": "PE1", "proximity": 40_000}
    mental_health = (ids["Mental health"],)
    assert await _names(db, taxonomy_term_ids=mental_health, **near) == [
        "Peterborough Anxiety Support",
        "Wisbech Wellbeing Cafe",
    ]
    assert await _names(db, taxonomy_term_ids=(ids["Loneliness"],), **near) == ["Wisbech Wellbeing Cafe"]
    assert await _names(db, day="monday", **near) == ["Wisbech Wellbeing Cafe"]
    assert await _names(db, language="pl", **near) == ["Wisbech Wellbeing Cafe"]
    assert await _names(db, taxonomy_term_ids=(ids["Carers"],), **near) == ["March Carers Group"]
    assert await _names(db, taxonomy_term_ids=(ids["Carers"],), postcode="PE1", proximity=10_000) == []
    at_places = await finding.find_service_at_locations(db, ServiceQuery(taxonomy_term_ids=mental_health, **near))
    assert at_places.total == 2
    past_the_end = await finding.find_services(db, ServiceQuery(taxonomy_term_ids=mental_health, page=2, per_page=2,
                                                                **near))
    assert (past_the_end.services, past_the_end.total) == ([], 2)


async def test_a_search_that_cannot_be_made_says_which_part_to_fix(db):
    for query, words in (
        (ServiceQuery(postcode="SW1A 1AA"), "postcode: SW1A is not a postcode district this directory covers"),
        (ServiceQuery(postcode="nonsense!"), "not a UK postcode"),
        (ServiceQuery(proximity=1000), "give a postcode too"),
        (ServiceQuery(day="someday"), "day: 'someday' is not a day"),
    ):
        with pytest.raises(Invalid, match=words):
            await finding.find_services(db, query)


async def test_no_search_records_anything_not_even_one_that_finds_nothing(db, small_directory):
    await small_directory(db)
    await finding.find_services(db, ServiceQuery(search="gambling call 07700 900123", postcode="PE1 2XY"))
    await finding.find_services(db, ServiceQuery(taxonomy_term_ids=("00000000-0000-4000-8000-000000000000",)))
    unmet = (await reports.signposting_report(db)).unmet_need
    assert (unmet.searches_found_nothing, unmet.search_words) == ([], [])
