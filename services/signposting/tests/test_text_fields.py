"""Every string a person or program sends is checked text: the kit's `Line` (one line) or `Text`
(new lines allowed), or a closed choice. Invisible control characters are refused with the field
named, from the API's models and from both import formats."""

import csv
import io
import types
import typing
import zipfile

import pytest
from pydantic import BaseModel, ValidationError

from forum_shared.text import PlainText
from signposting import hsds_files
from signposting.schemas import community_groups, hsds, services, signposting

REQUEST_MODELS = [
    model
    for module in (hsds, services, community_groups, signposting)
    for model in vars(module).values()
    if isinstance(model, type) and issubclass(model, BaseModel) and model.__module__ == module.__name__
    and not model.__name__.endswith("Public")
]


def _unchecked(annotation, metadata=()) -> list[str]:
    """The plain strings in a field's type, however deeply nested (lists, optional, models aside)."""
    if typing.get_origin(annotation) is typing.Annotated:
        return _unchecked(annotation.__origin__, (*metadata, *annotation.__metadata__))
    if typing.get_origin(annotation) in (typing.Union, types.UnionType, list, tuple, set):
        return [plain for arg in typing.get_args(annotation) for plain in _unchecked(arg, metadata)]
    if annotation is str:  # a Literal, an enum, EmailStr, a UUID or a model is checked by its type
        checked = any(isinstance(m, PlainText) or getattr(m, "pattern", None) for m in metadata)
        return [] if checked else ["str"]
    return []


def test_every_request_model_takes_only_checked_text():
    assert {m.__name__ for m in REQUEST_MODELS} >= {"OrganizationCreate", "ServiceCreate", "UnmetSearchCreate"}
    plain = [
        f"{model.__name__}.{name}"
        for model in REQUEST_MODELS
        for name, field in model.model_fields.items()
        if _unchecked(field.annotation, tuple(field.metadata))
    ]
    assert plain == []


@pytest.mark.parametrize(
    ("model", "values", "field"),
    [
        (hsds.OrganizationCreate, {"name": "Fenland\x00"}, "name"),
        (hsds.OrganizationCreate, {"name": "Fen\nland"}, "name"),
        (hsds.OrganizationCreate, {"name": "Fenland", "description": "\x1b[2J"}, "description"),
        (hsds.OrganizationCreate, {"name": "Fenland", "website": "https://fen.example/\x00"}, "website"),
        (hsds.TaxonomyTermCreate, {"name": "Debt\x85"}, "name"),
        (services.ServiceCreate, {"name": "Walk", "organization_id": "0b0f2e9c-8d51-4c0a-9a61-0a9a0a0a0a01",
                                  "schedules": [{"opens_at": "10:00\x00"}]}, "schedules.0.opens_at"),
        (community_groups.CommunityGroupCreate, {"name": "Knit", "areas": ["Ely\x00"]}, "areas.0"),
        (signposting.SignpostingCreate, {"needs": ["debt\x07"]}, "needs.0"),
        (signposting.UnmetSearchCreate, {"area": "Ely\x00"}, "area"),
    ],
)
def test_control_characters_are_refused_naming_the_field(model, values, field):
    with pytest.raises(ValidationError) as refused:
        model.model_validate(values)
    assert [".".join(map(str, e["loc"])) for e in refused.value.errors()] == [field]
    assert "control characters" in refused.value.errors()[0]["msg"]


def test_new_lines_are_kept_where_text_may_run_over_lines_and_spaces_are_trimmed():
    organization = hsds.OrganizationCreate(name="  Fenland  ", description="One\n\tTwo")
    assert (organization.name, organization.description) == ("Fenland", "One\n\tTwo")


def test_a_json_feed_with_a_control_character_is_refused_by_list_row_and_field():
    feed = {"services": [{"name": "Walk\x00", "organization": {"name": "Fenland"}}]}
    with pytest.raises(hsds_files.ImportRejected) as refused:
        hsds_files.parse_json_feed(feed)
    assert [(p.source, p.row, p.field) for p in refused.value.problems] == [("services", 1, "name")]


def test_a_csv_zip_with_a_control_character_is_refused_by_file_row_and_field():
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerows([["id", "name", "description"], ["0b0f2e9c-8d51-4c0a-9a61-0a9a0a0a0a01", "Fenland", "A\x00"]])
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("organizations.csv", out.getvalue())
    with pytest.raises(hsds_files.ImportRejected) as refused:
        hsds_files.parse_csv_zip(buffer.getvalue())
    assert [(p.source, p.row, p.field) for p in refused.value.problems] == [("organizations.csv", 2, "description")]
