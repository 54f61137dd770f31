"""Importing and exporting the whole directory, called directly on SQLite: all or nothing, the
same feed twice changes nothing, and an export imports into another directory unchanged."""

import copy
import csv
import io
import json
import zipfile
from pathlib import Path

import pytest

from signposting import hsds_files
from signposting.hsds_files import ImportRejected
from signposting.service import listings, organizations, transfer

EXAMPLE = json.loads((Path(__file__).parent / "standards" / "oruk-profile" / "example_service_full.json").read_text())


def example() -> dict:
    service = copy.deepcopy(EXAMPLE)
    service["service_at_locations"][0]["location"] |= {"latitude": 52.57, "longitude": -0.24}
    return service


async def test_a_feed_imports_once_and_importing_it_again_changes_nothing(db, editor, audited):
    imported = await transfer.import_batch(db, editor, hsds_files.parse_json_feed([example()]))
    assert (imported.services, imported.organizations) == (1, 1)
    history = await listings.history(db, EXAMPLE["id"])
    assert history[0].updated_by == "import by Sam Staff"
    await transfer.import_batch(db, editor, hsds_files.parse_json_feed({"contents": [example()]}))
    assert len(await listings.history(db, EXAMPLE["id"])) == len(history)
    assert (await audited(db))[0] == (
        "directory.imported",
        None,
        {"organizations": 1, "services": 1, "locations": 0, "taxonomies": 0, "taxonomy_terms": 0},
    )


async def test_a_feed_with_a_bad_row_is_refused_whole_saying_where(db, editor):
    bad = {"id": "8a2b6a0e-1a62-4bd5-9a77-1a3cb5a7f0a1", "status": "open", "organization": {"name": "X"}}
    with pytest.raises(ImportRejected) as refused:
        hsds_files.parse_json_feed({"services": [example(), bad]})
    assert [(p.source, p.row, p.field) for p in refused.value.problems] == [
        ("services", 2, "name"),
        ("services", 2, "status"),
    ]
    with pytest.raises(ImportRejected, match="Nothing was imported: 1 problem found"):
        hsds_files.parse_json_feed({"something": "else"})


async def test_a_problem_met_while_writing_rolls_back_everything_before_it(db, editor, audited):
    twin = example()
    twin["id"], twin["organization"]["id"] = (
        "6f1c8f0e-5d2b-4c3e-8a1f-2b3c4d5e6f70",
        "7a1c8f0e-5d2b-4c3e-8a1f-2b3c4d5e6f71",
    )
    with pytest.raises(ImportRejected) as refused:
        await transfer.import_batch(db, editor, hsds_files.parse_json_feed([example(), twin]))
    assert [(p.source, p.row) for p in refused.value.problems] == [("services", 2)]
    assert (await organizations.organizations_page(db, None, 1, 20)).total == 0
    assert await audited(db) == []


async def test_a_service_pointing_at_an_organisation_in_neither_the_feed_nor_the_directory_is_refused(db, editor):
    orphan = {
        "id": "9b2b6a0e-1a62-4bd5-9a77-1a3cb5a7f0a2",
        "name": "Orphan",
        "organization_id": "00000000-0000-4000-8000-000000000000",
    }
    with pytest.raises(ImportRejected) as refused:
        await transfer.import_batch(db, editor, hsds_files.parse_json_feed([orphan]))
    (problem,) = refused.value.problems
    assert (problem.field, problem.message.startswith("no organisation")) == ("organization_id", True)


async def test_the_exported_csv_files_import_into_another_directory_unchanged(db, editor, small_directory, use_case_db):
    from signposting.app import MIGRATIONS

    await small_directory(db)
    archive = await transfer.export_csv_zip(db)
    names = zipfile.ZipFile(io.BytesIO(archive)).namelist()
    assert {"services.csv", "organizations.csv", "schedules.csv", "metadata.csv"} <= set(names)
    other = await use_case_db(MIGRATIONS, "other")
    await transfer.import_batch(other, editor, hsds_files.parse_csv_zip(archive))
    exported, again = await transfer.export_json(db), await transfer.export_json(other)
    without_times = _without("last_modified", "exported_at")
    assert without_times(again) == without_times(exported)


async def test_a_cell_that_a_spreadsheet_would_run_is_exported_as_stored(db, editor):
    # The CSV files are an exchange format: a guard apostrophe would change the data on import.
    feed = example()
    feed["organization"]["name"] = "=Formula Friends"
    await transfer.import_batch(db, editor, hsds_files.parse_json_feed([feed]))
    rows = _csv(await transfer.export_csv_zip(db), "organizations.csv")
    assert [r["name"] for r in rows] == ["=Formula Friends"]


def test_an_upload_that_is_not_a_zip_of_csv_files_is_refused():
    with pytest.raises(ImportRejected) as refused:
        hsds_files.parse_csv_zip(b"name,id\n")
    assert "not a zip" in refused.value.problems[0].message
    empty = io.BytesIO()
    with zipfile.ZipFile(empty, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ImportRejected) as refused:
        hsds_files.parse_csv_zip(empty.getvalue())
    assert "No HSDS CSV files found" in refused.value.problems[0].message


def _csv(archive: bytes, name: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(zipfile.ZipFile(io.BytesIO(archive)).read(name).decode())))


def _without(*keys: str):
    def strip(value):
        if isinstance(value, list):
            return [strip(v) for v in value]
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in keys}
        return value

    return strip
