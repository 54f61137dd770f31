"""The service search: by words, need, area or postcode, day, language and accessibility, listing
services or (for Open Referral UK `/service_at_locations`) services at each of their places.

Words are looked up in a full-text index (`domain.search_words`: a word is found where each of its
parts begins a word of the text). On SQLite the index is two FTS5 tables over `services`,
`services_words` (of `search_text` and `search_keys`) and `services_name_words` (of `name`), that
migrations 0003 and 0004 made and triggers keep in step with every insert, change and delete; on
PostgreSQL it is three GIN indexes of `search_words(…)` (`to_tsvector('simple', …)`) of the same
columns. The two can differ only in what counts as a word in odd text (PostgreSQL keeps an email
address or a URL whole, and parts of a hyphenated word both alone and together).

Needs, and places within a distance, are looked up in the same index when the search ranks its
matches: as terms of `search_keys` (`map_squares`: each need, and the map squares of each place),
so the index returns only the services that have every word, one of the needs and a place in the
squares around the postcode, and only those are measured.

Results come in order of relevance (a word in the name counts three times as much as a word
elsewhere, `domain.relevance`), then distance (to the nearest of a service's places), then name
(case aside), then id. Distance is measured between unit vectors (`domain.unit_vector`), which
orders and filters exactly as the great-circle distance does, in SQL.

The database counts the matches and returns just the page asked for:

- no words and no place with a centre: by name, walking the index of names when the matches are
  common enough for that to be quicker than sorting them;
- words: the matches with every word in their name come first (they all rank the same, so only
  distance and name order them); when they fill the page, nothing else is ranked;
- a proximity and nothing else: the count and the distance of the page's last row are found from
  the index of places alone, then only the services within that distance are read;
- anything else: every match ranked in one query (with a proximity, the matches the index
  returns are measured one by one, and those within reach ranked).
"""

from __future__ import annotations

import operator
from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from functools import cached_property, reduce
from typing import Any

from sqlalchemy import (
    CTE,
    ColumnElement,
    Float,
    FromClause,
    Integer,
    Select,
    Subquery,
    and_,
    bindparam,
    case,
    column,
    func,
    literal,
    literal_column,
    or_,
    select,
    table,
    text,
    true,
)
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from signposting import domain, map_squares
from signposting.domain import Place, ServiceQuery
from signposting.records import Found
from signposting.store.browse import contains
from signposting.store.detail_tables import accessibility, languages, locations, schedules, service_at_locations
from signposting.store.tables import TEXT_SEARCH, attributes, service_areas, services, taxonomy_terms

Words = list[tuple[str, ...]]
# Terms of `search_keys` (`map_squares`): a service must have one of each list.
Keys = list[list[str]]

# SQLite's FTS5 tables (migration 0003): not in the metadata, as the database makes their storage.
SERVICES_WORDS = table("services_words", column("rowid"))
SERVICES_NAME_WORDS = table("services_name_words", column("rowid"))
SERVICE_ROWID: ColumnElement[int] = literal_column("services.rowid")


class _Index(ABC):
    """The words of services, as one database indexes them."""

    @abstractmethod
    def has(self, words: Words, keys: Keys | None = None, *, in_name: bool = False) -> ColumnElement[bool]:
        """Services holding every word (in their name only, if `in_name`) and one of each list of
        `keys`."""

    def count(self, words: Words) -> Select[Any]:
        """How many services hold `words`."""
        return select(func.count()).select_from(services).where(self.has(words))


class _FTS5(_Index):
    def has(self, words: Words, keys: Keys | None = None, *, in_name: bool = False) -> ColumnElement[bool]:
        index = SERVICES_NAME_WORDS if in_name else SERVICES_WORDS
        return SERVICE_ROWID.in_(select(index.c.rowid).where(_matches(index, words, keys)))

    def count(self, words: Words) -> Select[Any]:
        return select(func.count()).select_from(SERVICES_WORDS).where(_matches(SERVICES_WORDS, words))


def _matches(index: FromClause, words: Words, keys: Keys | None = None) -> ColumnElement[bool]:
    # Each part of each word as a prefix ("peer"* AND "support"*); parts are letters and digits
    # only. In `services_words`, words are looked for in `search_text` and keys in `search_keys`.
    found = " AND ".join(f'"{part}"*' for word in words for part in word)
    if index is SERVICES_WORDS:
        found = f"search_text : ({found})" if found else ""
        if keys:
            wanted = " AND ".join("(" + " OR ".join(f'"{key}"' for key in choice) + ")" for choice in keys)
            found = " AND ".join(filter(None, [found, f"search_keys : ({wanted})"]))
    return literal_column(index.name).op("MATCH")(found)  # type: ignore[attr-defined]


class _TsVector(_Index):
    def has(self, words: Words, keys: Keys | None = None, *, in_name: bool = False) -> ColumnElement[bool]:
        # The same expressions as the indexes `ix_services_words`, `ix_services_keys` and
        # `ix_services_name_words`.
        matched: list[ColumnElement[bool]] = []
        if words:
            indexed = services.c.name if in_name else services.c.search_text
            matched.append(_ts_match(indexed, " & ".join(f"'{part}':*" for word in words for part in word)))
        if keys:
            wanted = " & ".join("(" + " | ".join(f"'{key}'" for key in choice) + ")" for choice in keys)
            matched.append(_ts_match(services.c.search_keys, wanted))
        return and_(*matched)


def _ts_match(indexed: ColumnElement[str], query: str) -> ColumnElement[bool]:
    matched: ColumnElement[bool] = func.search_words(indexed).op("@@", is_comparison=True)(
        func.to_tsquery(TEXT_SEARCH, query)
    )
    return matched


def _index(session: AsyncSession) -> _Index:
    return _FTS5() if session.get_bind().dialect.name == "sqlite" else _TsVector()


@dataclass
class _Filters:
    """The filters of a search but its words and proximity: on the service's own columns, and by
    what is linked to it (each a choice of queries of service ids, any of which will do)."""

    own: list[ColumnElement[bool]] = field(default_factory=list)
    linked: list[list[Select[tuple[str]]]] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.own or self.linked)

    def conditions(self, *, row_by_row: bool = False) -> list[ColumnElement[bool]]:
        """As SQL: links as `id IN (…)`, which a query can start from, or `row_by_row`, as
        `EXISTS (…)` tested for each service (when the services are read in another order)."""
        return [*self.own, *(or_(*(_member(query, row_by_row) for query in choice)) for choice in self.linked)]


def _member(query: Select[tuple[str]], row_by_row: bool) -> ColumnElement[bool]:
    if row_by_row:
        return query.where(query.selected_columns[0] == services.c.id).exists()
    return services.c.id.in_(query)


def _filters(q: ServiceQuery, place: Place | None, *, needs_in_index: bool = False) -> _Filters:
    """Every filter but the words and the proximity (and the needs, if the index finds them)."""
    found = _Filters()
    own, linked = found.own, found.linked
    if q.status:
        own.append(services.c.status == q.status)
    if q.organization_id:
        own.append(services.c.organization_id == q.organization_id)
    if q.modified_after:
        own.append(services.c.last_modified >= q.modified_after)
    if q.minimum_age is not None:
        own.append(services.c.minimum_age >= q.minimum_age)
    if q.maximum_age is not None:
        own.append(services.c.maximum_age <= q.maximum_age)
    if q.taxonomy_term_ids and not needs_in_index:
        linked.append([_linked_to(_terms(q))])
    if q.taxonomy_id:
        linked.append([_linked_to(select(taxonomy_terms.c.id).where(taxonomy_terms.c.taxonomy_id == q.taxonomy_id))])
    opening = _opening(q)
    if opening is not None:
        linked.append([opening])
    if q.language:
        wanted_language = q.language.strip().lower()
        spoken = or_(func.lower(languages.c.name) == wanted_language, func.lower(languages.c.code) == wanted_language)
        linked.append([select(languages.c.service_id).where(spoken)])
    if q.accessibility:
        described = func.lower(
            func.coalesce(accessibility.c.description, "") + " " + func.coalesce(accessibility.c.details, "")
        )
        located = select(service_at_locations.c.service_id).join(
            accessibility, accessibility.c.location_id == service_at_locations.c.location_id
        )
        linked += [[located.where(described.like(contains(w), escape="\\"))] for w in domain.words_of(q.accessibility)]
    if place is not None and q.proximity is None and not place.whole_county:
        covered = select(service_areas.c.service_id).where(service_areas.c.area_key.in_(place.keys))
        located_in = _located().where(locations.c.outward_code.in_(place.outward_codes))
        linked.append([covered, located_in])
    return found


def _terms(q: ServiceQuery) -> Select[tuple[str]]:
    """The needs asked for, and those under them."""
    wanted = list(q.taxonomy_term_ids)
    return select(taxonomy_terms.c.id).where(
        or_(taxonomy_terms.c.id.in_(wanted), taxonomy_terms.c.parent_id.in_(wanted))
    )


def _linked_to(terms: Select[tuple[str]]) -> Select[tuple[str]]:
    """Services with one of `terms` as a need (read from the index `ix_attributes_term`)."""
    return select(attributes.c.link_id).where(
        attributes.c.taxonomy_term_id.in_(terms), attributes.c.link_entity == "service"
    )


def _opening(q: ServiceQuery) -> Select[tuple[str]] | None:
    if not (q.day or q.start_time or q.end_time):
        return None
    parts: list[ColumnElement[bool]] = []
    if q.day:
        try:
            parts.append(schedules.c.byday.like(contains(domain.day_code(q.day)), escape="\\"))
        except Invalid as exc:
            raise Invalid(f"day: {exc.message}.") from None
    # Times are kept as HH:MM:SS text, which sorts like the clock.
    if q.start_time:
        parts.append(schedules.c.opens_at >= _seconds(q.start_time))
    if q.end_time:
        parts.append(schedules.c.closes_at <= _seconds(q.end_time))
    return select(schedules.c.service_id).where(and_(*parts))


def _seconds(clock: str) -> str:
    return clock if clock.count(":") == 2 else clock + ":00"


def _located() -> Select[tuple[str]]:
    return select(service_at_locations.c.service_id).join(
        locations, locations.c.id == service_at_locations.c.location_id
    )


# Distance, built once: the squared chord from the centre to a location, and whether a location is
# within reach (a bounding box narrows them on the index, the chord decides). `_Centre.params`
# gives the values.
_CENTRE = [bindparam(name, type_=Float()) for name in ("centre_x", "centre_y", "centre_z")]
_AXES = (locations.c.geo_x, locations.c.geo_y, locations.c.geo_z)
squared_distance: ColumnElement[float] = reduce(
    operator.add, ((axis - at) * (axis - at) for axis, at in zip(_AXES, _CENTRE, strict=True))
)
ONE_PLACE: ColumnElement[float] = reduce(
    operator.add,
    (
        (axis - at) * (axis - at)
        for axis, at in zip((services.c.place_x, services.c.place_y, services.c.place_z), _CENTRE, strict=True)
    ),
)
PLACED = locations.c.geo_x.is_not(None)
WITHIN_REACH = [
    PLACED,
    locations.c.geo_lat.between(bindparam("lat_min", type_=Float()), bindparam("lat_max", type_=Float())),
    locations.c.geo_lon.between(bindparam("lon_min", type_=Float()), bindparam("lon_max", type_=Float())),
    squared_distance <= bindparam("reach", type_=Float()),
]
LINKS = service_at_locations.join(locations, locations.c.id == service_at_locations.c.location_id)


@dataclass(frozen=True)
class _Centre:
    """Where distance is measured from, and how far the search reaches in metres (None: no limit)."""

    lat: float
    lon: float
    metres: float | None = None

    def within(self, metres: float) -> _Centre:
        return _Centre(self.lat, self.lon, metres if self.metres is None else min(metres, self.metres))

    def params(self) -> dict[str, float]:
        """The values of `squared_distance` and `WITHIN_REACH` for this centre."""
        x, y, z = domain.unit_vector(self.lat, self.lon)
        values = {"centre_x": x, "centre_y": y, "centre_z": z}
        if self.metres is not None:
            lat_min, lat_max, lon_min, lon_max = domain.bounding_box(self.lat, self.lon, self.metres)
            values |= {"lat_min": lat_min, "lat_max": lat_max, "lon_min": lon_min, "lon_max": lon_max}
            values["reach"] = domain.chord_squared(self.metres)
        return values


@dataclass(frozen=True)
class _Listed:
    """What a search lists: services, or services at each of their places. `key` is its id,
    `source` what it is read from."""

    key: ColumnElement[str]
    source: FromClause
    per_place: bool

    @cached_property
    def nearby(self) -> Subquery:
        """Each listed thing with a place within reach, and its squared distance (`chord`)."""
        if self.per_place:
            each = select(service_at_locations.c.id.label("key"), squared_distance.label("chord"))
            return each.select_from(LINKS).where(*WITHIN_REACH).subquery()
        nearest = select(service_at_locations.c.service_id.label("key"), func.min(squared_distance).label("chord"))
        return nearest.select_from(LINKS).where(*WITHIN_REACH).group_by(service_at_locations.c.service_id).subquery()

    @cached_property
    def distance(self) -> ColumnElement[Any]:
        """The squared distance of each listed thing, however far (NULL if unknown)."""
        if self.per_place:
            at_place = locations.c.id == service_at_locations.c.location_id
            return select(squared_distance).where(at_place).scalar_subquery()
        nearest = select(func.min(squared_distance)).select_from(LINKS)
        among_places = nearest.where(service_at_locations.c.service_id == services.c.id, PLACED).scalar_subquery()
        # A service at one place keeps that place's vector: measured without reading the place.
        return case((services.c.place_x.is_not(None), ONE_PLACE), else_=among_places)


SERVICES = _Listed(services.c.id, services, per_place=False)
SERVICES_AT_LOCATIONS = _Listed(
    service_at_locations.c.id,
    services.join(service_at_locations, service_at_locations.c.service_id == services.c.id),
    per_place=True,
)


async def find_services(session: AsyncSession, q: ServiceQuery) -> Found:
    """The page of services `q` asks for, ordered by relevance (words), then distance (the
    nearest of their places, where coordinates are known), then name; `Invalid` for a place, day
    or proximity that cannot be used."""
    return await _find(session, q, SERVICES)


async def find_service_at_locations(session: AsyncSession, q: ServiceQuery) -> Found:
    """The page of services at their places (`service_at_locations` ids) that `q` asks for: the
    same filters and order as `find_services`, distance and proximity measured to each place."""
    return await _find(session, q, SERVICES_AT_LOCATIONS)


async def _find(session: AsyncSession, q: ServiceQuery, listed: _Listed) -> Found:
    place = q.place()
    if q.proximity is not None and (place is None or place.centre is None):
        raise Invalid("proximity: give a postcode too: proximity is measured in metres from its centre.")
    if session.get_bind().dialect.name == "postgresql":
        # The best plan depends on the values (how common the words are, where the place is):
        # PostgreSQL would otherwise settle on one plan for all after a statement's fifth run.
        await session.execute(text("SET LOCAL plan_cache_mode = force_custom_plan"))
    filters = _filters(q, place)
    words = q.index_words
    centre = _Centre(*place.centre, q.proximity) if place is not None and place.centre is not None else None
    if not words and centre is None:
        return await _by_name(session, q, listed, filters)
    if centre is not None and centre.metres is not None and not words and not filters:
        return await _nearest(session, q, listed, centre)
    limited = centre is not None and centre.metres is not None
    keys = await _keys(session, q, centre if limited else None)
    if keys is not None:
        if not all(keys.terms):
            return Found([], 0, {})  # no such need
        filters = _filters(q, place, needs_in_index=keys.needs)
    index = _index(session)
    conds = filters.conditions()
    if words and not (filters.linked or limited or keys):
        # How many services hold the words, from the index alone: the total, if nothing else
        # narrows the search. (Needs, days, languages or a proximity narrow it: the page's own
        # query counts what matches, and the count of a common word alone would be wasted.)
        with_words = int(await session.scalar(index.count(words)) or 0)
        if not with_words:
            return Found([], 0, {})
        total = with_words if not (filters or listed.per_place) else None
        if with_words > RANK_EVERY_MATCH_UP_TO:
            # Those with every word in their name rank first, all alike: if they fill the page,
            # nothing else is ranked. (A name's words are in its `search_text` too.)
            best = await _page(session, q, listed, [*conds, index.has(words, in_name=True)], centre)
            if len(best.ids) == q.per_page:
                if total is None:
                    total = await _count(session, listed, [*conds, index.has(words)], centre)
                return Found(best.ids, total, best.distances)
    if words or keys:
        conds.append(index.has(words, keys.terms if keys else None))
    # Those the index found near enough are measured one by one (not every place within reach).
    by_row = keys is not None and keys.near
    found = await _page(session, q, listed, conds, centre, _score(index, words), counted=True, by_row=by_row)
    if not found.ids and q.offset:
        return Found([], await _count(session, listed, conds, centre, by_row=by_row), {})
    return found


@dataclass(frozen=True)
class _Keys:
    """The terms of `search_keys` a search asks the index for, and what they stand for: the
    needs, a proximity (`near`), or both."""

    terms: Keys
    needs: bool
    near: bool


async def _keys(session: AsyncSession, q: ServiceQuery, centre: _Centre | None) -> _Keys | None:
    """The needs asked for (or under them) and the map squares within reach of `centre`, as terms
    of the index; None if the search asks for neither, or its reach is too wide for squares."""
    squares = None
    if centre is not None and centre.metres is not None:
        squares = map_squares.squares_around(centre.lat, centre.lon, centre.metres)
    needs = None
    if q.taxonomy_term_ids:
        needs = [map_squares.need(str(term_id)) for term_id in (await session.execute(_terms(q))).scalars()]
    if needs is None and squares is None:
        return None
    return _Keys([choice for choice in (needs, squares) if choice is not None], needs is not None, squares is not None)


# Up to this many services with the words, every match is ranked in one query; beyond it, unless
# needs, days, languages or a proximity narrow the search, those with every word in their name are
# tried first.
RANK_EVERY_MATCH_UP_TO = 500


def _score(index: _Index, words: Words) -> ColumnElement[int] | None:
    """How many of the words are in the name (what `domain.relevance` adds to what all matches have)."""
    if not words:
        return None
    in_name = [case((index.has([word], in_name=True), 1), else_=0) for word in words]
    return reduce(operator.add, in_name)


def _within(listed: _Listed, centre: _Centre | None) -> tuple[FromClause, ColumnElement[Any] | None]:
    """What to read from, and the squared distance of each listed thing (None without a centre):
    only those within reach, if the search is limited."""
    if centre is None:
        return listed.source, None
    if centre.metres is None:
        return listed.source, listed.distance
    near = listed.nearby
    return listed.source.join(near, near.c.key == listed.key), near.c.chord


def _params(centre: _Centre | None) -> dict[str, float]:
    return {} if centre is None else centre.params()


async def _count(
    session: AsyncSession,
    listed: _Listed,
    conds: list[ColumnElement[bool]],
    centre: _Centre | None,
    *,
    by_row: bool = False,
) -> int:
    limited = centre if centre is not None and centre.metres is not None else None
    if by_row and limited is not None:
        matches = _measured(listed, conds, None)
        counted = select(func.count()).select_from(matches).where(matches.c.chord <= bindparam("reach"))
        return int(await session.scalar(counted, limited.params()) or 0)
    source, _ = _within(listed, limited)
    matching = select(listed.key).select_from(source).where(*conds)
    return int(await session.scalar(select(func.count()).select_from(matching.subquery()), _params(limited)) or 0)


def _measured(listed: _Listed, conds: list[ColumnElement[bool]], score: ColumnElement[int] | None) -> CTE:
    """What matches `conds`, each with its name, score and squared distance, measured once (the
    CTE is materialised, so that the distance is not measured again to filter and order by it)."""
    columns = [
        listed.key.label("key"),
        services.c.name.label("name"),
        listed.distance.label("chord"),
        (score if score is not None else literal(0)).label("score"),
    ]
    return select(*columns).select_from(listed.source).where(*conds).cte("matches").prefix_with("MATERIALIZED")


async def _page(
    session: AsyncSession,
    q: ServiceQuery,
    listed: _Listed,
    conds: list[ColumnElement[bool]],
    centre: _Centre | None,
    score: ColumnElement[int] | None = None,
    *,
    counted: bool = False,
    by_row: bool = False,
) -> Found:
    """A page of what matches `conds` (and lies within reach), ranked in SQL: by `score`, then
    distance, then name; `counted`, with how many match in all (else 0). `by_row`: the matches
    are measured one by one, then those within reach kept (else every place within reach is
    measured, then the matches among them kept)."""
    key: ColumnElement[Any]
    name: ColumnElement[Any]
    chord: ColumnElement[Any] | None
    if by_row and centre is not None and centre.metres is not None:
        matches = _measured(listed, conds, score)
        key, chord, name = matches.c.key, matches.c.chord, matches.c.name
        source: FromClause = matches
        conds = [chord <= bindparam("reach")]
        order: list[Any] = [matches.c.score.desc()] if score is not None else []
    else:
        key, name = listed.key, services.c.name
        source, chord = _within(listed, centre)
        order = [] if score is None else [score.desc()]
    if chord is not None:
        order.append(chord.asc().nulls_last())
    order += [func.lower(name), key]
    columns = [key.label("id"), (chord if chord is not None else literal_column("NULL")).label("chord")]
    if counted:
        columns.append(func.count().over().label("total"))
    query = select(*columns).select_from(source).where(*conds).order_by(*order).offset(q.offset).limit(q.per_page)
    rows = (await session.execute(query, _params(centre))).all()
    distances = {row.id: domain.metres_of_chord(row.chord) for row in rows if row.chord is not None}
    return Found([row.id for row in rows], int(rows[0].total) if counted and rows else 0, distances)


# A proximity and nothing else (`_nearest`): how many are within reach, reading the index of places
# and the links from them only (a service at one place only is counted there, one at several once:
# `only_place`); and the nearest places with how many are surely there.
_SEVERAL = case((~service_at_locations.c.only_place, service_at_locations.c.service_id))
COUNT_NEARBY = {
    True: select(func.count()).select_from(LINKS).where(*WITHIN_REACH),
    False: select(func.count(case((service_at_locations.c.only_place, 1))) + func.count(func.distinct(_SEVERAL)))
    .select_from(LINKS)
    .where(*WITHIN_REACH),
}
_NEAREST_PLACES = (
    select(locations.c.id, squared_distance.label("chord"))
    .where(*WITHIN_REACH)
    .order_by(squared_distance)
    .limit(bindparam("places", type_=Integer()))
    .subquery()
)
NEAREST_PLACES = {
    per_place: select(_NEAREST_PLACES.c.chord, func.count(service_at_locations.c.id))
    .select_from(
        _NEAREST_PLACES.outerjoin(
            service_at_locations,
            and_(
                service_at_locations.c.location_id == _NEAREST_PLACES.c.id,
                true() if per_place else service_at_locations.c.only_place,
            ),
        )
    )
    .group_by(_NEAREST_PLACES.c.id, _NEAREST_PLACES.c.chord)
    .order_by(_NEAREST_PLACES.c.chord)
    for per_place in (True, False)
}


async def _nearest(session: AsyncSession, q: ServiceQuery, listed: _Listed, centre: _Centre) -> Found:
    """A proximity and no other filter: how many lie within reach, and how far the page's last
    one is, come from the index of places alone; then only those that near are read."""
    total = int(await session.scalar(COUNT_NEARBY[listed.per_place], centre.params()) or 0)
    if not total or q.offset >= total:
        return Found([], total, {})
    edge = await _edge(session, q.offset + q.per_page, listed, centre)
    # Everything on the page lies within the last one's distance (or the reach, if the page may
    # be the last): only those are named and ordered.
    within = centre if edge is None else centre.within(domain.metres_of_chord(edge) + 1.0)
    found = await _page(session, q, listed, [], within)
    return Found(found.ids, total, found.distances)


async def _edge(session: AsyncSession, wanted: int, listed: _Listed, centre: _Centre) -> float | None:
    """The squared distance within which at least `wanted` listed things lie, from the nearest
    places out (counting only services at one place, which is never too many), or None if that
    takes every place within reach."""
    nearest = wanted
    while True:
        rows = (await session.execute(NEAREST_PLACES[listed.per_place], {**centre.params(), "places": nearest})).all()
        found = 0
        for chord, listed_here in rows:
            found += listed_here
            if found >= wanted:
                return float(chord)
        if len(rows) < nearest:
            return None
        nearest *= 8


async def _by_name(session: AsyncSession, q: ServiceQuery, listed: _Listed, filters: _Filters) -> Found:
    """No words and no place with a centre: the database pages by name."""
    matching = select(listed.key).select_from(listed.source)
    total = int(
        await session.scalar(select(func.count()).select_from(matching.where(*filters.conditions()).subquery())) or 0
    )
    if not total or q.offset >= total:
        return Found([], total, {})
    row_by_row = False
    if filters.linked and not listed.per_place and session.get_bind().dialect.name == "sqlite":
        # SQLite keeps no statistics to choose by: walking the index of names, testing each
        # service, beats sorting every match when matches are common enough to fill a page soon.
        size = int(await session.scalar(select(func.max(SERVICE_ROWID)).select_from(services)) or 0)
        row_by_row = total * total >= (q.offset + q.per_page) * size
    page = matching.where(*filters.conditions(row_by_row=row_by_row))
    page = page.order_by(services.c.name, listed.key).offset(q.offset).limit(q.per_page)
    return Found(list((await session.execute(page)).scalars()), total, {})
