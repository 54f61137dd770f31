"""Signposting someone and the report of need, called directly on SQLite: nothing personal is
kept, every record is published once, and the report counts by area and need."""

from datetime import date

import pytest

from forum_shared.errors import Invalid
from forum_shared.events.signposting import SignpostingGiven
from signposting.schemas.signposting import SignpostingCreate
from signposting.service import reports, signposting

UNKNOWN = "00000000-0000-4000-8000-000000000000"


async def test_a_signposting_keeps_only_the_district_the_needs_and_the_services(db, staff, small_directory, recorded):
    ids = await small_directory(db)
    record = await signposting.record_signposting(
        db,
        staff,
        SignpostingCreate(
            area="pe13 2ab",
            needs=["Loneliness", "bereavement", ids["Carers"], "loneliness"],
            service_ids=[ids["wisbech"]],
        ),
    )
    assert (record.area, record.needs, record.service_ids) == (
        "PE13",
        [ids["Loneliness"], "bereavement", ids["Carers"]],
        [ids["wisbech"]],
    )
    (event,) = await recorded(db, SignpostingGiven)
    assert (event.signposting_id, event.area, event.needs, event.service_ids) == (
        record.id,
        "PE13",
        record.needs,
        record.service_ids,
    )


async def test_a_signposting_to_a_service_not_in_the_directory_is_refused_and_nothing_is_kept(
    db, staff, recorded, audited
):
    with pytest.raises(Invalid, match="no service"):
        await signposting.record_signposting(db, staff, SignpostingCreate(area="PE1", service_ids=[UNKNOWN]))
    assert (await signposting.signposting_count(db), await recorded(db, SignpostingGiven), await audited(db)) == (
        0,
        [],
        [],
    )


async def test_the_records_are_newest_first_with_needs_and_services_by_name(db, staff, small_directory, audited):
    ids = await small_directory(db)
    first = await signposting.record_signposting(
        db, staff, SignpostingCreate(needs=[ids["Carers"]], service_ids=[ids["march"]])
    )
    second = await signposting.record_signposting(db, staff, SignpostingCreate(area="Wisbech", needs=["gambling"]))
    entries = await signposting.signposting_records(db, 0, 25)
    assert [(e.id, e.area, e.needs, e.services) for e in entries] == [
        (second.id, "Wisbech", ["gambling"], []),
        (first.id, None, ["Carers"], ["March Carers Group"]),
    ]
    assert await signposting.signposting_count(db) == 2
    assert (await audited(db))[-1] == ("signposting.recorded", f"signposting:{second.id}", {})


async def test_the_report_counts_signposting_by_area_and_need_and_signposting_to_nothing(db, staff, small_directory):
    ids = await small_directory(db)
    for area, need, service_ids in (
        ("PE13", "Loneliness", [ids["wisbech"]]),
        ("PE13 1AA", "Loneliness", [ids["helpline"]]),
        ("PE1", "Anxiety", [ids["peterborough"]]),
        ("PE1", "gambling", []),
    ):
        await signposting.record_signposting(
            db, staff, SignpostingCreate(area=area, needs=[need], service_ids=service_ids)
        )
    report = await reports.signposting_report(db)
    assert report.signposting_total == 4
    assert [(c.area, c.district, c.count) for c in report.by_area] == [
        ("PE1", "Peterborough", 2),
        ("PE13", "Fenland", 2),
    ]
    assert [(c.need_name, c.count) for c in report.by_need] == [("Loneliness", 2), ("Anxiety", 1), (None, 1)]
    assert [(c.area, c.need, c.count) for c in report.unmet_need.signposted_to_nothing] == [("PE1", "gambling", 1)]
    assert (await reports.signposting_report(db, since=date(2999, 1, 1))).signposting_total == 0


async def test_a_report_whose_period_ends_before_it_starts_is_refused(db):
    with pytest.raises(Invalid, match="after its end"):
        await reports.signposting_report(db, date(2026, 12, 1), date(2026, 11, 1))
