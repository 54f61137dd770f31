"""The directory's exchange formats: an Open Referral UK JSON feed, and the HSDS tabular form (a
zip of CSV files named as in the HSDS schema: `services.csv`, `organizations.csv` …).

Reading checks every row before anything is written and reports every problem with its file (or
list), row and field (`ImportRejected`); a clean feed becomes a `Batch` of the JSON API's own
models, so a feed and a member of staff are held to the same rules.

The CSV files are a machine exchange format, read back by this import and by other directories'
tools, so their cells are written exactly as stored: no leading apostrophe is added to a cell
starting with = + - or @ (as `forum_shared.spreadsheets.safe_cell` does for files made for people
to open in a spreadsheet), because that would change the data and an export would no longer
import back unchanged.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from forum_shared.errors import Invalid
from signposting.hsds import Document
from signposting.schemas.hsds import (
    AccessibilityCreate,
    AddressCreate,
    AttributeCreate,
    ContactCreate,
    CostOptionCreate,
    LanguageCreate,
    LocationCreate,
    OrganizationCreate,
    PhoneCreate,
    ScheduleCreate,
    ServiceAreaCreate,
    ServiceAtLocationCreate,
    TaxonomyCreate,
    TaxonomyTermCreate,
)
from signposting.schemas.services import ServiceCreate

MAX_PROBLEMS = 200
# The HSDS tabular files an import reads (`metadata.csv`, the history, is exported but not read).
IMPORTED_FILES = frozenset({
    "taxonomies.csv", "taxonomy_terms.csv", "organizations.csv", "locations.csv", "addresses.csv",
    "accessibility.csv", "services.csv", "service_at_location.csv", "service_areas.csv", "schedules.csv",
    "languages.csv", "contacts.csv", "phones.csv", "cost_options.csv", "attributes.csv",
})
Model = TypeVar("Model", bound=BaseModel)


@dataclass(frozen=True)
class Problem:
    """Why an import was refused: where (file or list, row, field) and what to fix."""

    source: str
    row: int | None
    field: str | None
    message: str


class ImportRejected(Invalid):
    """Nothing was imported: the kit's `Invalid` (422), with every problem found listed."""

    def __init__(self, problems: list[Problem]) -> None:
        count = len(problems)
        super().__init__(
            f"Nothing was imported: {count} problem{'s' if count != 1 else ''} found. "
            "Fix them and import the whole file again."
        )
        self.problems = problems[:MAX_PROBLEMS]

    def errors(self) -> list[dict[str, Any]]:
        """Each problem as the kit's problem details list a field's, with the file or list it is
        in (`source`) and its `row`; a problem with the whole upload names the upload as its field."""
        return [{**asdict(p), "field": p.field or p.source} for p in self.problems]


def rejected(source: str, message: str) -> ImportRejected:
    """A refusal of the whole upload, not of one row."""
    return ImportRejected([Problem(source, None, None, message)])


@dataclass(frozen=True)
class Batch:
    """A checked import, in the order it is written: needs first, services last."""

    taxonomies: list[TaxonomyCreate]
    terms: list[TaxonomyTermCreate]
    organizations: list[OrganizationCreate]
    locations: list[LocationCreate]
    services: list[ServiceCreate]


class Problems:
    def __init__(self) -> None:
        self.items: list[Problem] = []

    def add(self, source: str, row: int | None, field: str | None, message: str) -> None:
        self.items.append(Problem(source, row, field, message))

    def check(self, model: type[Model], values: Any, source: str, row: int) -> Model | None:
        try:
            return model.model_validate(values)
        except ValidationError as exc:
            for err in exc.errors():
                where = ".".join(str(p) for p in err["loc"]) or None
                self.add(source, row, where, err["msg"].removeprefix("Value error, "))
            return None


# -- JSON ---------------------------------------------------------------------------------
# The lists a JSON feed may hold, in the order they are written.
_JSON_LISTS = ("taxonomies", "taxonomy_terms", "organizations", "locations", "services")


def parse_json_feed(feed: Any) -> Batch:
    """A list of services, a page of them (`contents`), or a whole directory as exported."""
    problems = Problems()
    if isinstance(feed, list):
        feed = {"services": feed}
    elif isinstance(feed, dict) and "contents" in feed and "services" not in feed:
        feed = {"services": feed["contents"]}
    if not isinstance(feed, dict) or not any(isinstance(feed.get(k), list) for k in _JSON_LISTS):
        raise rejected("feed", "Expected a list of services, a page with `contents`, or an object with `services`, "
                       "`organizations`, `locations`, `taxonomies` or `taxonomy_terms` lists.")

    def checked(name: str, model: type[Model]) -> list[Model]:
        items = feed.get(name) or []
        if not isinstance(items, list):
            problems.add(name, None, None, "should be a list")
            return []
        found = [problems.check(model, item, name, i) for i, item in enumerate(items, start=1)]
        return [item for item in found if item is not None]

    batch = Batch(
        taxonomies=checked("taxonomies", TaxonomyCreate),
        terms=checked("taxonomy_terms", TaxonomyTermCreate),
        organizations=checked("organizations", OrganizationCreate),
        locations=checked("locations", LocationCreate),
        services=checked("services", ServiceCreate),
    )
    if problems.items:
        raise ImportRejected(problems.items)
    return batch


# -- CSV ----------------------------------------------------------------------------------
def parse_csv_zip(data: bytes) -> Batch:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        message = "This is not a zip file of HSDS CSV files (services.csv, organizations.csv …)."
        raise rejected("upload", message) from None
    files: dict[str, list[tuple[int, dict]]] = {}
    problems = Problems()
    for info in archive.infolist():
        name = info.filename.rsplit("/", 1)[-1]
        if name in IMPORTED_FILES:
            try:
                text = archive.read(info).decode("utf-8-sig")
            except UnicodeDecodeError:
                problems.add(name, None, None, "is not UTF-8 text")
                continue
            reader = csv.DictReader(io.StringIO(text))
            files[name] = [
                (n, {k: (v if v != "" else None) for k, v in row.items() if k}) for n, row in enumerate(reader, start=2)
            ]
    if not files:
        problems.add(
            "upload", None, None, "No HSDS CSV files found: name them services.csv, organizations.csv, locations.csv …"
        )
    if problems.items:
        raise ImportRejected(problems.items)
    return _assemble(files, problems)


def _assemble(files: dict[str, list[tuple[int, dict]]], problems: Problems) -> Batch:
    def rows(name: str, model: type[BaseModel]) -> list[tuple[dict, Any]]:
        return [(raw, problems.check(model, raw, name, n)) for n, raw in files.get(name, [])]

    def by(items: list[tuple[dict, Any]], column: str, *, when=lambda raw: True) -> dict[str, list]:
        grouped: dict[str, list] = defaultdict(list)
        for raw, model in items:
            if model is not None and raw.get(column) and when(raw):
                grouped[raw[column]].append(model)
        return grouped

    phone_rows = rows("phones.csv", PhoneCreate)
    contact_rows = rows("contacts.csv", ContactCreate)
    phones_of_contact = by(phone_rows, "contact_id")
    for raw, model in contact_rows:
        if model is not None:
            model.phones = phones_of_contact.get(raw["id"], [])
    language_rows = rows("languages.csv", LanguageCreate)
    children = {
        "schedules": by(rows("schedules.csv", ScheduleCreate), "service_id"),
        "service_areas": by(rows("service_areas.csv", ServiceAreaCreate), "service_id"),
        "languages": by(language_rows, "service_id"),
        "cost_options": by(rows("cost_options.csv", CostOptionCreate), "service_id"),
        "contacts": by(contact_rows, "service_id"),
        "phones": by(phone_rows, "service_id", when=lambda raw: not raw.get("contact_id")),
        "attributes": by(
            rows("attributes.csv", AttributeCreate),
            "link_id",
            when=lambda raw: raw.get("link_entity") in (None, "service"),
        ),
        "service_at_locations": by(rows("service_at_location.csv", ServiceAtLocationCreate), "service_id"),
    }
    location_children = {
        "addresses": by(rows("addresses.csv", AddressCreate), "location_id"),
        "accessibility": by(rows("accessibility.csv", AccessibilityCreate), "location_id"),
        "languages": by(language_rows, "location_id"),
    }
    org_phones = by(phone_rows, "organization_id", when=lambda raw: not raw.get("contact_id"))

    def build(name: str, model: type[BaseModel], nested: dict[str, dict[str, list]]) -> list:
        built = []
        for n, raw in files.get(name, []):
            lists = {
                field: [m.model_dump() for m in by_parent.get(raw.get("id") or "", [])]
                for field, by_parent in nested.items()
            }
            item = problems.check(model, {**raw, **lists}, name, n)
            if item is not None:
                built.append(item)
        return built

    batch = Batch(
        taxonomies=build("taxonomies.csv", TaxonomyCreate, {}),
        terms=build("taxonomy_terms.csv", TaxonomyTermCreate, {}),
        organizations=build("organizations.csv", OrganizationCreate, {"phones": org_phones}),
        locations=build("locations.csv", LocationCreate, location_children),
        services=build("services.csv", ServiceCreate, children),
    )
    if problems.items:
        # One bad child row is reported once, not again as part of its parent.
        seen, unique = set(), []
        for p in problems.items:
            if p not in seen:
                seen.add(p)
                unique.append(p)
        raise ImportRejected(unique)
    return batch


# -- writing ------------------------------------------------------------------------------
@dataclass(frozen=True)
class TabularFile:
    """One file of the HSDS tabular form: its name, its columns (HSDS fields) and its rows."""

    name: str
    columns: list[str]
    rows: list[Document]


def csv_zip(files: Iterable[TabularFile]) -> bytes:
    """The HSDS tabular form as a zip: one CSV file per kind of HSDS object, an empty cell for an
    empty field, every value as stored (see above: no spreadsheet guard in an exchange format)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for file in files:
            out = io.StringIO()
            writer = csv.DictWriter(out, fieldnames=file.columns, extrasaction="ignore")
            writer.writeheader()
            for row in file.rows:
                writer.writerow({**dict.fromkeys(file.columns, ""), **row})
            archive.writestr(file.name, out.getvalue())
    return buffer.getvalue()
