"""Recording unmet need, called directly on SQLite: only what staff record counts, only a search
that still finds nothing, and nothing personal is kept."""

import pytest

from forum_shared.errors import Invalid, RuleBroken
from signposting.schemas.services import ServiceUpdate
from signposting.schemas.signposting import UnmetSearchCreate
from signposting.service import reports, services, unmet_need

UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def test_staff_record_a_search_that_found_nothing_keeping_the_district_needs_and_words(
    db, staff, small_directory, audited
):
    ids = await small_directory(db)
    record = await unmet_need.record_unmet_search(
        db, staff, UnmetSearchCreate(search="Gambling  support", postcode="pe1 2xy")
    )
    assert (record.area, record.needs, record.words) == ("PE1", [], "gambling support")
    by_need = await unmet_need.record_unmet_search(
        db, staff, UnmetSearchCreate(taxonomy_term_ids=[ids["Carers"]], area="CB4")
    )
    assert by_need.needs == [ids["Carers"]]
    unmet = (await reports.signposting_report(db)).unmet_need
    assert [(c.area, c.district, c.need, c.count) for c in unmet.searches_found_nothing] == [
        ("CB4", "Cambridge", ids["Carers"], 1),
        ("PE1", "Peterborough", None, 1),
    ]
    assert [(c.area, c.need) for c in unmet.search_words] == [("PE1", "gambling support")]
    recorded = [entry for entry in await audited(db) if entry[0] == "signposting.unmet_need_recorded"]
    assert [target for _, target, _ in recorded] == [f"unmet_search:{record.id}", f"unmet_search:{by_need.id}"]


async def test_words_that_look_like_contact_details_are_not_kept(db, staff, small_directory):
    await small_directory(db)
    record = await unmet_need.record_unmet_search(
        db, staff, UnmetSearchCreate(search="gambling call 07700 900123", area="Peterborough")
    )
    assert (record.area, record.words) == ("Peterborough", None)


async def test_a_search_that_finds_a_service_is_not_unmet_need(db, staff, small_directory):
    await small_directory(db)
    with pytest.raises(RuleBroken, match="finds 2 services, so it is not unmet need"):
        await unmet_need.record_unmet_search(db, staff, UnmetSearchCreate(search="carers"))
    assert (await reports.signposting_report(db)).unmet_need.searches_found_nothing == []


async def test_a_record_must_say_what_was_needed_or_where_and_name_real_needs_and_places(db, staff, small_directory):
    await small_directory(db)
    for data, refusal, words in (
        (UnmetSearchCreate(), RuleBroken, "what was needed or where"),
        (UnmetSearchCreate(search="  "), RuleBroken, "what was needed or where"),
        (UnmetSearchCreate(taxonomy_term_ids=[UNKNOWN]), Invalid, f"no need with id {UNKNOWN}"),
        (UnmetSearchCreate(postcode="SW1A 1AA"), Invalid, "not a postcode district this directory covers"),
    ):
        with pytest.raises(refusal, match=words):
            await unmet_need.record_unmet_search(db, staff, data)
    assert (await reports.signposting_report(db)).unmet_need.searches_found_nothing == []


async def test_only_active_services_count_as_found(db, staff, editor, small_directory):
    ids = await small_directory(db)
    await services.change_service(db, editor, ids["march"], ServiceUpdate(status="inactive"))
    record = await unmet_need.record_unmet_search(db, staff, UnmetSearchCreate(taxonomy_term_ids=[ids["Carers"]]))
    assert record.needs == [ids["Carers"]]
