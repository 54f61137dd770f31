"""Published event versions are frozen: each has its JSON Schema in the repository, and a change to
one may only add optional fields. Anything else is a new major version (`test_event_versions`)."""

import json
import re
import shutil
from datetime import date, datetime
from typing import Annotated, Literal

import pytest
from pydantic import BaseModel, Field

from forum_shared.events import EVENT_TYPES, IssueEscalated
from forum_shared.events.contracts import FROZEN, REFRESH, check, schema_of, snapshot_path, write
from forum_shared.events.contracts.__main__ import main
from forum_shared.events.contracts.compatibility import breaking_changes


class Where(BaseModel):
    district: str = Field(description="A postcode district.")
    town: str | None = None


class Published(BaseModel):
    """The published version every case below changes."""

    escalation_id: str = Field(description="Id of the escalation.")
    route: Literal["staff", "safeguarding"]
    respond_by: date
    themes: list[str] = Field(default_factory=list)
    area: str | None = None
    count: int | None = None
    summary: Annotated[str, Field(max_length=200)]
    where: Where | None = None


PUBLISHED = Published.model_json_schema()


def changed(**fields) -> dict:
    """`Published` with some fields replaced (a type, or `(type, FieldInfo)`), or removed (`None`)."""
    annotations = dict(Published.__annotations__)
    defaults = dict(Published.model_fields)
    for name, value in fields.items():
        annotations.pop(name, None)
        defaults.pop(name, None)
        if value is None:
            continue
        annotation, default = value if isinstance(value, tuple) else (value, ...)
        annotations[name] = annotation
        defaults[name] = default
    namespace = {"__annotations__": annotations, "__doc__": Published.__doc__, **defaults}
    return type("Published", (BaseModel,), namespace).model_json_schema()


class WhereWithPostcode(BaseModel):
    district: str = Field(description="A postcode district.")
    town: str | None = None
    ward: str | None = None


class WhereWithoutTown(BaseModel):
    district: str


@pytest.mark.parametrize(
    ("current", "reason"),
    [
        (changed(area=None), "area: removed"),
        (changed(count=(str | None, None)), "count: narrowed, no longer accepts integer"),
        (changed(escalation_id=int), "escalation_id: changed type from string to integer"),
        (changed(respond_by=datetime), r"respond_by: changed type from string \(date\) to string \(date-time\)"),
        (changed(themes=(list[int], Field(default_factory=list))), r"themes\[\]: changed type"),
        (changed(area=str), "area: made required"),
        (changed(area=(str, "Fenland")), "area: narrowed, no longer accepts null"),
        (changed(respond_by=(date | None, None)), "respond_by: no longer required"),
        (changed(ward=str), "ward: added as a required field"),
        (changed(route=Literal["staff"]), "route: narrowed, enum no longer allows"),
        (changed(route=Literal["staff", "safeguarding", "criticality"]), "route: widened, enum now allows"),
        (changed(summary=Annotated[str, Field(max_length=100)]), "summary: narrowed, maxLength"),
        (changed(summary=Annotated[str, Field(max_length=200, min_length=5)]), "summary: narrowed, minLength"),
        (changed(summary=Annotated[str, Field(max_length=200, pattern="^[a-z]+$")]), "summary: changed pattern"),
        (changed(where=(WhereWithoutTown | None, None)), "where.town: removed"),
    ],
)
def test_a_change_that_is_not_additive_breaks_the_published_version(current, reason):
    problems = breaking_changes(PUBLISHED, current)
    assert any(re.search(reason, problem) for problem in problems), problems


@pytest.mark.parametrize(
    "current",
    [
        PUBLISHED,
        changed(ward=(str | None, None)),
        changed(ward=(list[str], Field(default_factory=list))),
        changed(escalation_id=(str, Field(description="The escalation's id, as the feedback service gives it."))),
        changed(area=(str | None, Field(default=None, title="Area of the county"))),
        changed(where=(WhereWithPostcode | None, None)),
    ],
    ids=["unchanged", "new optional field", "new list field", "new description", "new title", "nested new field"],
)
def test_adding_an_optional_field_or_rewording_keeps_the_published_version(current):
    assert breaking_changes(PUBLISHED, current) == []


def test_every_event_version_has_a_frozen_schema():
    assert check().missing == [], f"run {REFRESH}"
    assert {path.stem for path in FROZEN.glob("*.json")} == set(EVENT_TYPES)


def test_no_published_event_version_changed_except_by_adding_optional_fields():
    breaking = check().breaking
    assert breaking == [], "a published event changed in a way its consumers cannot read:\n" + "\n".join(breaking) + (
        "\nkeep the published version as it is and add the change as a new major version (README, Events)"
    )


def test_every_frozen_schema_is_the_one_its_model_makes_now():
    assert check().outdated == [], f"an additive change is not frozen yet: run {REFRESH}"


def test_the_snapshot_command_checks_and_says_the_contracts_are_frozen(capsys):
    assert main([]) == 0
    assert "every event version matches its frozen schema" in capsys.readouterr().out


@pytest.fixture
def frozen_copy(tmp_path):
    folder = tmp_path / "frozen"
    shutil.copytree(FROZEN, folder)
    return folder


def test_refreshing_freezes_an_additive_change_and_a_new_event(frozen_copy):
    path = snapshot_path(IssueEscalated.type_name(), frozen_copy)
    older = json.loads(path.read_text())
    del older["properties"]["source_count"]  # as if source_count were added after publication
    path.write_text(json.dumps(older))
    snapshot_path("forum.meetings.meeting_held.v1", frozen_copy).unlink()

    result = check(folder=frozen_copy)
    assert (result.breaking, result.outdated, result.missing) == (
        [], [IssueEscalated.type_name()], ["forum.meetings.meeting_held.v1"]
    )
    write(folder=frozen_copy)
    assert check(folder=frozen_copy) == check()
    assert json.loads(path.read_text()) == schema_of(IssueEscalated)


def test_refreshing_writes_nothing_when_a_change_breaks_a_published_version(frozen_copy):
    path = snapshot_path(IssueEscalated.type_name(), frozen_copy)
    published = json.loads(path.read_text())
    published["properties"]["raised_by"]["enum"].append("rumour")  # a value the code no longer allows
    path.write_text(json.dumps(published))
    snapshot_path("forum.meetings.meeting_held.v1", frozen_copy).unlink()

    result = write(folder=frozen_copy)
    assert result.breaking == [f"{IssueEscalated.type_name()} raised_by: narrowed, enum no longer allows [\"rumour\"]"]
    assert json.loads(path.read_text()) == published
    assert not snapshot_path("forum.meetings.meeting_held.v1", frozen_copy).exists()


def test_a_published_version_cannot_leave_the_catalogue(frozen_copy):
    catalogue = {name: cls for name, cls in EVENT_TYPES.items() if cls is not IssueEscalated}
    assert check(catalogue, frozen_copy).breaking == [
        f"{IssueEscalated.type_name()} is frozen but no longer in the catalogue: a published version stays "
        "while the streams keep its events"
    ]
