"""Staff reports, the anonymised export and the managed theme list, through the use cases
directly (fast tier)."""

import csv
import io
from datetime import date

import pytest

from feedback.config import DEFAULT_THEMES
from feedback.schemas import FeedbackCreate, FeedbackTriage
from feedback.service import intake, reports, themes, triage
from forum_shared.errors import Invalid, NotFound
from forum_shared.identity.principal import Principal

STAFF = Principal(kind="account", id="staff-1", name="Sam Staff", role="staff")
PRIVATE = {"member_id": "member-private-7", "contact_name": "Alex Private", "contact_email": "alex.private@example.org",
           "contact_phone": "07700 900456", "contact_consent": True, "source": "Alex's neighbour"}


async def give(db, rules, text: str, **fields):
    """Feedback from the public, or (naming a group) a group's view as staff record it."""
    sender = STAFF if fields.get("community_group_id") else "anonymous"
    return await intake.receive_feedback(db, sender, FeedbackCreate(text=text, **fields), rules)


def rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))


async def test_the_summary_counts_feedback_by_theme_area_source_and_month_and_escalations_by_state(
    db, rules, directory
):
    await directory("g1", "g2")
    await give(db, rules, "a", themes=["carers"], area="Fenland", polarity="negative")
    await give(db, rules, "b", themes=["carers", "medication"], area="Fenland", channel="community_group",
               community_group_id="g1")
    await give(
        db, rules, "c", themes=["carers"], channel="community_group", community_group_id="g2", safeguarding_concern=True
    )
    report = await reports.summary(db, rules, date.today())
    assert report.total == 3
    assert report.by_theme == {"carers": 3, "medication": 1}
    assert report.by_area == {"Fenland": 2, "not given": 1}
    assert report.by_source == {"community_group": 2, "individual": 1}
    assert report.by_polarity == {"not given": 2, "negative": 1}
    assert list(report.by_month.values()) == [3]
    assert (report.escalations.open, report.escalations.awaiting_response, report.escalations.resolved) == (1, 1, 0)
    assert report.escalations.by_route == {"safeguarding": 1}


async def test_a_period_in_the_future_counts_nothing_and_a_backwards_one_is_refused(db, rules):
    await give(db, rules, "a")
    assert (await reports.summary(db, rules, date.today(), since=date(2099, 1, 1))).total == 0
    with pytest.raises(Invalid, match="swap them round"):
        await reports.summary(db, rules, date.today(), since=date(2027, 2, 1), until=date(2027, 1, 1))


async def test_the_summary_csv_never_starts_a_cell_with_a_formula(db, rules):
    await give(db, rules, "a", themes=["carers"], area="=HYPERLINK(1)")
    rows = rows_of(reports.summary_csv(await reports.summary(db, rules, date.today())))
    assert rows[0] == ["measure", "value", "count"]
    assert ["theme", "carers", "1"] in rows and ["area", "'=HYPERLINK(1)", "1"] in rows


async def test_the_export_leaves_out_personal_data_and_criticality_and_guards_against_formulas(db, rules, staff):
    item = await give(db, rules, "=cmd|' /C calc'!A0", themes=["carers"], **PRIVATE)
    await triage.triage(db, staff, item.id, FeedbackTriage(themes=["carers"], tags=["+tag"], criticality=4), rules)
    text = await reports.feedback_csv(db, rules)
    [header, row] = rows_of(text)
    record = dict(zip(header, row, strict=True))
    assert record["themes"] == "carers" and record["source_kind"] == "individual" and record["reference"] == item.id
    assert record["text"].startswith("'=") and record["tags"] == "'+tag"  # a spreadsheet will not run them
    assert "criticality" not in header
    for private in PRIVATE.values():
        if isinstance(private, str):
            assert private not in text, private


async def test_themes_are_added_in_plain_words_retired_and_brought_back(db, staff, audited):
    added = await themes.add_theme(db, staff, "  Digital  Access ")
    assert (added.name, added.active) == ("digital access", True)
    assert (await themes.retire_theme(db, staff, "Waiting Times")).active is False
    active = [t.name for t in await themes.list_themes(db)]
    assert "digital access" in active and "waiting times" not in active
    everything = {t.name: t.active for t in await themes.list_themes(db, include_retired=True)}
    assert everything["waiting times"] is False
    await themes.add_theme(db, staff, "waiting times")
    assert "waiting times" in [t.name for t in await themes.list_themes(db)]
    assert await audited("theme.added") == 2 and await audited("theme.retired") == 1


async def test_retiring_a_theme_that_is_not_there_is_not_found_and_not_audited(db, staff, audited):
    with pytest.raises(NotFound, match="no theme called"):
        await themes.retire_theme(db, staff, "no such theme")
    assert await audited("theme.retired") == 0


async def test_the_default_themes_are_seeded_only_into_an_empty_list(db, staff):
    await themes.retire_theme(db, staff, "carers")
    await themes.seed_default_themes(db, [*DEFAULT_THEMES, "housing"])
    names = {t.name: t.active for t in await themes.list_themes(db, include_retired=True)}
    assert set(names) == set(DEFAULT_THEMES) and names["carers"] is False
