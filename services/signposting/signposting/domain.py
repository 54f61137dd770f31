"""Pure rules of the directory: places and distances, staleness, days, what counts as personal,
and what a search of the directory asks for.

The standard library and the kit's pure modules only, so every rule here is unit-tested without a
database, broker or web server. A refusal is the kit's `Invalid` (the input is not a postcode, a
day …) or `RuleBroken` (a postcode outside the county the directory covers).
"""

from __future__ import annotations

import csv
import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from functools import cache
from pathlib import Path

from forum_shared.areas import DISTRICTS
from forum_shared.errors import ForumError, Invalid, RuleBroken

OUTWARD_CODES_FILE = Path(__file__).parent / "data" / "outward_codes.csv"
STALE_AFTER_MONTHS = 12
EARTH_RADIUS_M = 6_371_008.8
COUNTY_NAMES = frozenset(
    {
        "cambridgeshire and peterborough",
        "cambridgeshire & peterborough",
        "cambridgeshire",
        "county-wide",
        "countywide",
        "the whole county",
    }
)

_OUTWARD = r"[A-Z]{1,2}[0-9][A-Z0-9]?"
_POSTCODE = re.compile(rf"^({_OUTWARD})\s*([0-9][A-Z]{{2}})?$")
_FULL_POSTCODE_IN_TEXT = re.compile(rf"\b{_OUTWARD}\s*[0-9][A-Z]{{2}}\b", re.IGNORECASE)
_EMAIL_IN_TEXT = re.compile(r"\S+@\S+")
_LONG_NUMBER_IN_TEXT = re.compile(r"(?:\d[\s-]?){7,}")
_DATE_IN_TEXT = re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b")
# What the search index counts as the parts of a word: runs of letters and digits.
_SEARCH_PART = re.compile(r"[^\W_]+")

DAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
_DAY_NAMES = {
    name: code
    for code, names in zip(
        DAYS,
        (
            ("monday", "mon"),
            ("tuesday", "tue", "tues"),
            ("wednesday", "wed"),
            ("thursday", "thu", "thur", "thurs"),
            ("friday", "fri"),
            ("saturday", "sat"),
            ("sunday", "sun"),
        ),
        strict=True,
    )
    for name in (*names, code.lower())
}


class ServiceStatus(StrEnum):
    """Whether a service is running (HSDS `status`)."""

    ACTIVE = "active"
    INACTIVE = "inactive"
    DEFUNCT = "defunct"
    TEMPORARILY_CLOSED = "temporarily closed"


class CommunityGroupStatus(StrEnum):
    """Whether a community group can host the forum's pop-up forums."""

    ACTIVE = "active"
    WITHDRAWN = "withdrawn"


class ChangeKind(StrEnum):
    """What a change in a listing's history was (HSDS `metadata.last_action_type`)."""

    CREATE = "create"
    UPDATE = "update"
    VERIFY = "verify"


class ListingKind(StrEnum):
    """What staff check with a provider: a service, or the organisation running it."""

    SERVICE = "service"
    ORGANIZATION = "organization"


@dataclass(frozen=True)
class OutwardCode:
    code: str
    latitude: float
    longitude: float
    district: str
    places: tuple[str, ...]


@dataclass(frozen=True)
class Place:
    """Where a search is about: the area keys that cover it, its districts and postcode districts,
    and an approximate centre to measure distance from (None if unknown)."""

    name: str
    keys: frozenset[str]
    outward_codes: frozenset[str]
    centre: tuple[float, float] | None
    whole_county: bool = False


def key(text: str) -> str:
    """How area names are compared: case and spacing do not matter."""
    return " ".join(text.split()).lower()


@cache
def outward_codes() -> dict[str, OutwardCode]:
    with OUTWARD_CODES_FILE.open(newline="", encoding="utf-8") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return {
            row["outward_code"]: OutwardCode(
                row["outward_code"],
                float(row["latitude"]),
                float(row["longitude"]),
                row["district"],
                tuple(p for p in row["places"].split(";") if p),
            )
            for row in rows
        }


def districts() -> dict[str, list[OutwardCode]]:
    """The county's districts (the forum's one list, `forum_shared.areas.DISTRICTS`), each with its
    postcode districts, by `key` of the district's name."""
    codes = outward_codes().values()
    return {key(district): [c for c in codes if c.district == district] for district in DISTRICTS}


def outward_code_of(postcode: str) -> str:
    """`PE1 1AA`, `pe11aa` or `PE1` → `PE1`; `Invalid` for anything else."""
    match = _POSTCODE.match(" ".join(postcode.upper().split()))
    if not match:
        raise Invalid(f"{postcode.strip()!r} is not a UK postcode or postcode district (like PE1 or CB4 1AA)")
    return match.group(1)


def is_postcode(text: str) -> bool:
    """Whether `text` is a postcode or postcode district (of anywhere in the UK)."""
    return _POSTCODE.match(" ".join(text.upper().split())) is not None


def find_postcode(postcode: str) -> Place:
    """The place of a postcode or postcode district in the county; `RuleBroken` if it is not ours."""
    code = outward_code_of(postcode)
    found = outward_codes().get(code)
    if found is None:
        raise RuleBroken(
            f"{code} is not a postcode district this directory covers "
            "(Cambridgeshire and Peterborough: CB, PE and a few SG postcodes)"
        )
    return _place_of(code, [found])


def find_area(area: str) -> Place:
    """An area as a person types it: a postcode district, a district, a town or village, the county.
    Unknown names still match service areas of exactly that name."""
    text = key(area)
    if text in COUNTY_NAMES:
        return Place(area.strip(), frozenset(COUNTY_NAMES), frozenset(), _centre(list(outward_codes().values())), True)
    if is_postcode(area):
        try:
            return find_postcode(area)
        except RuleBroken:
            pass
    in_district = districts().get(text)
    if in_district:
        return _place_of(area.strip(), in_district)
    with_place = [c for c in outward_codes().values() if text in {key(p) for p in c.places}]
    if with_place:
        return _place_of(area.strip(), with_place)
    return Place(area.strip(), frozenset({text}), frozenset(), None)


def _place_of(name: str, codes: list[OutwardCode]) -> Place:
    keys = {key(name)} | set(COUNTY_NAMES)
    for code in codes:
        keys |= {key(code.code), key(code.district), *(key(p) for p in code.places)}
    if len(codes) > 1:  # a district or a town: its own postcode districts count as covering it
        keys |= {key(c.code) for c in codes}
    return Place(name, frozenset(keys), frozenset(c.code for c in codes), _centre(codes))


def _centre(codes: list[OutwardCode]) -> tuple[float, float] | None:
    if not codes:
        return None
    return (sum(c.latitude for c in codes) / len(codes), sum(c.longitude for c in codes) / len(codes))


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres between two points given in degrees."""
    phi1, phi2 = math.radians(lat1), math.radians(lat2)
    dphi, dlmb = phi2 - phi1, math.radians(lon2 - lon1)
    a = math.sin(dphi / 2) ** 2 + math.cos(phi1) * math.cos(phi2) * math.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(a))


def unit_vector(lat: float, lon: float) -> tuple[float, float, float]:
    """A point on the Earth as a unit vector from its centre: search measures the straight line
    (the chord) between two such vectors, which orders and filters exactly as the great-circle
    distance does, with only sums and products (`metres_of_chord`)."""
    phi, lam = math.radians(lat), math.radians(lon)
    return math.cos(phi) * math.cos(lam), math.cos(phi) * math.sin(lam), math.sin(phi)


def chord_squared(metres: float) -> float:
    """The squared chord between unit vectors `metres` apart on the Earth's surface."""
    return (2 * math.sin(min(metres / (2 * EARTH_RADIUS_M), math.pi / 2))) ** 2


def metres_of_chord(squared: float) -> float:
    """The great-circle distance in metres of a squared chord between unit vectors: the haversine
    formula's `2R·asin(√a)`, with `a` a quarter of the squared chord."""
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(max(squared, 0.0)) / 2))


def bounding_box(lat: float, lon: float, metres: float) -> tuple[float, float, float, float]:
    """(min lat, max lat, min lon, max lon) that contains every point within `metres`, so a
    database index can narrow the candidates before the exact haversine check."""
    dlat = math.degrees(metres / EARTH_RADIUS_M)
    dlon = math.degrees(metres / (EARTH_RADIUS_M * max(math.cos(math.radians(lat)), 1e-6)))
    return lat - dlat, lat + dlat, lon - dlon, lon + dlon


def is_stale(verified_on: date | None, today: date) -> bool:
    """A listing nobody has verified for 12 months (or ever) may be out of date."""
    return verified_on is None or verified_on <= stale_on_or_before(today)


def stale_on_or_before(today: date) -> date:
    """Listings last verified on or before this day are stale today."""
    return _months_before(today, STALE_AFTER_MONTHS)


def _months_before(day: date, months: int) -> date:
    month_index = day.year * 12 + day.month - 1 - months
    year, month = divmod(month_index, 12)
    month += 1
    for last in (31, 30, 29, 28):
        try:
            return date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


def day_names() -> list[str]:
    """Every day name `day_code` knows, lower case: `mo`, `mon`, `monday` …"""
    return list(_DAY_NAMES)


def day_code(text: str) -> str:
    """`MO`, `monday`, `Mon` or an ISO date like `2026-12-07` → the iCalendar day code `MO`."""
    value = text.strip().lower()
    if value in _DAY_NAMES:
        return _DAY_NAMES[value]
    try:
        return DAYS[date.fromisoformat(value).weekday()]
    except ValueError:
        raise Invalid(f"{text.strip()!r} is not a day: use MO…SU, a day name, or a date like 2026-12-07") from None


def personal_detail_in(text: str) -> str | None:
    """Why `text` seems to hold personal details (an email, a phone number, a full postcode, a date
    of birth), or None. Signposting records and unmet-need counts must stay anonymous."""
    if _EMAIL_IN_TEXT.search(text):
        return "an email address"
    if _FULL_POSTCODE_IN_TEXT.search(text):
        return "a full postcode (give only the district, like PE1)"
    if _LONG_NUMBER_IN_TEXT.search(text):
        return "a phone or reference number"
    if _DATE_IN_TEXT.search(text):
        return "a date"
    return None


def anonymous_area(area: str | None) -> str | None:
    """Where someone lives, kept anonymous: a postcode is cut to its district (PE1 1AA → PE1);
    other areas are kept as typed, spaces tidied."""
    if not area or not area.strip():
        return None
    if is_postcode(area):
        return outward_code_of(area)
    return " ".join(area.split())


def district_of(area: str | None) -> str | None:
    """The one district an area lies in (PE13 → Fenland), or None if it is unknown or spans several."""
    if not area:
        return None
    found = {outward_codes()[c].district for c in find_area(area).outward_codes}
    return found.pop() if len(found) == 1 else None


def words_of(search: str) -> list[str]:
    return [w for w in re.split(r"[^\w'&+-]+", search.lower()) if w]


def search_words(search: str) -> list[tuple[str, ...]]:
    """The words of a search as the directory's search index reads them: each word's runs of
    letters and digits, lower case (`Peer-support` → `("peer", "support")`), once each. A word is
    in a text when each of its parts begins a word of the text: `carer` finds "carers", `men` does
    not find "women". Words with no letter or digit (`&`, `+`) are left out."""
    found: list[tuple[str, ...]] = []
    for word in words_of(search):
        parts = tuple(_SEARCH_PART.findall(word))
        if parts and parts not in found:
            found.append(parts)
    return found


def has_word(text: str, word: tuple[str, ...]) -> bool:
    """Whether `text` holds the search word `word` (see `search_words`)."""
    starts = _SEARCH_PART.findall(text.lower())
    return all(any(s.startswith(part) for s in starts) for part in word)


def relevance(words: list[str], name: str, text: str) -> int:
    """How well a service matches the words of a search: a word in its name counts three times as
    much as a word elsewhere (the order search lists services in, before distance and name)."""
    wanted = search_words(" ".join(words))
    return sum(3 if has_word(name, w) else 1 for w in wanted if has_word(text, w))


def organization_description(name: str) -> str:
    """What an organisation listed without a description is said to be (Open Referral UK requires
    one): where to find out more is the organisation itself."""
    return f"{name} is listed in the Cambridgeshire and Peterborough directory: contact them to find out more."


def community_group_description(name: str, areas: list[str]) -> str:
    """What a community group registered without a description is said to be."""
    return f"{name} is a community group meeting people in {_joined(areas)}."


def taxonomy_description(name: str) -> str:
    """What a taxonomy given without a description is said to be."""
    return f"{name}: a vocabulary of needs and kinds of service."


def need_description(name: str) -> str:
    """What a need (taxonomy term) given without a description is said to be."""
    return f"Help with {name.lower()}."


def _joined(names: list[str]) -> str:
    if not names:
        return "Cambridgeshire and Peterborough"
    return " and ".join(filter(None, [", ".join(names[:-1]), names[-1]]))


def total_pages(total_items: int, per_page: int) -> int:
    return max(1, math.ceil(total_items / per_page))


@dataclass(frozen=True)
class ServiceQuery:
    """What a search of the directory asks for: the open API's parameters, or a page's form."""

    search: str | None = None
    taxonomy_term_ids: tuple[str, ...] = ()
    taxonomy_id: str | None = None
    organization_id: str | None = None
    postcode: str | None = None
    proximity: float | None = None  # metres from the postcode's centre
    area: str | None = None
    day: str | None = None
    start_time: str | None = None
    end_time: str | None = None
    language: str | None = None
    accessibility: str | None = None
    minimum_age: float | None = None
    maximum_age: float | None = None
    modified_after: datetime | None = None
    status: str | None = None
    page: int = 1
    per_page: int = 20

    def place(self) -> Place | None:
        """Where the search is about, if it names a postcode or an area; `Invalid` if the
        postcode is not one, or not in the county."""
        try:
            if self.postcode:
                return find_postcode(self.postcode)
            if self.area:
                return find_area(self.area)
        except ForumError as exc:
            raise Invalid(f"postcode: {exc.message}.") from None
        return None

    @property
    def words(self) -> list[str]:
        return words_of(self.search or "")

    @property
    def index_words(self) -> list[tuple[str, ...]]:
        """The words as the search index reads them (`search_words`)."""
        return search_words(self.search or "")

    @property
    def offset(self) -> int:
        return (self.page - 1) * self.per_page

    @property
    def about_a_need(self) -> bool:
        """Whether finding nothing says something about unmet need (not just paging or listing)."""
        return bool(self.words or self.taxonomy_term_ids or self.postcode or self.area)
