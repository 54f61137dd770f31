"""The service search: by words, need, area or postcode, day, language and accessibility, listing
services or (for Open Referral UK `/service_at_locations`) services at each of their places.

The database narrows the candidates (indexed filters, a bounding box for proximity); ranking by
relevance and distance happens here, on that short list, with the haversine formula. Without
words or a place with a centre the database pages the results itself.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import inf
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Row, Select, and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from signposting import domain
from signposting.domain import Place, ServiceQuery
from signposting.records import Found
from signposting.store.browse import contains
from signposting.store.detail_tables import accessibility, languages, locations, schedules, service_at_locations
from signposting.store.tables import attributes, service_areas, services, taxonomy_terms


def _conditions(q: ServiceQuery, place: Place | None) -> list[ColumnElement[bool]]:
    conds: list[ColumnElement[bool]] = []
    if q.status:
        conds.append(services.c.status == q.status)
    if q.organization_id:
        conds.append(services.c.organization_id == q.organization_id)
    if q.modified_after:
        conds.append(services.c.last_modified >= q.modified_after)
    if q.minimum_age is not None:
        conds.append(services.c.minimum_age >= q.minimum_age)
    if q.maximum_age is not None:
        conds.append(services.c.maximum_age <= q.maximum_age)
    conds += [services.c.search_text.like(contains(w), escape="\\") for w in q.words]
    if q.taxonomy_term_ids:
        wanted = list(q.taxonomy_term_ids)
        children = select(taxonomy_terms.c.id).where(taxonomy_terms.c.parent_id.in_(wanted))
        terms = or_(attributes.c.taxonomy_term_id.in_(wanted), attributes.c.taxonomy_term_id.in_(children))
        conds.append(
            services.c.id.in_(select(attributes.c.link_id).where(attributes.c.link_entity == "service", terms))
        )
    if q.taxonomy_id:
        in_taxonomy = select(taxonomy_terms.c.id).where(taxonomy_terms.c.taxonomy_id == q.taxonomy_id)
        conds.append(
            services.c.id.in_(
                select(attributes.c.link_id).where(
                    attributes.c.link_entity == "service", attributes.c.taxonomy_term_id.in_(in_taxonomy)
                )
            )
        )
    conds += _opening(q)
    if q.language:
        wanted_language = q.language.strip().lower()
        conds.append(
            services.c.id.in_(
                select(languages.c.service_id).where(
                    or_(
                        func.lower(languages.c.name) == wanted_language, func.lower(languages.c.code) == wanted_language
                    )
                )
            )
        )
    if q.accessibility:
        text = func.lower(
            func.coalesce(accessibility.c.description, "") + " " + func.coalesce(accessibility.c.details, "")
        )
        located = select(service_at_locations.c.service_id).join(
            accessibility, accessibility.c.location_id == service_at_locations.c.location_id
        )
        conds += [
            services.c.id.in_(located.where(text.like(contains(w), escape="\\")))
            for w in domain.words_of(q.accessibility)
        ]
    if place is not None and place.centre is not None and q.proximity is not None:
        lat_min, lat_max, lon_min, lon_max = domain.bounding_box(place.centre[0], place.centre[1], q.proximity)
        conds.append(
            services.c.id.in_(
                _located().where(
                    locations.c.geo_lat.between(lat_min, lat_max), locations.c.geo_lon.between(lon_min, lon_max)
                )
            )
        )
    elif place is not None and not place.whole_county:
        covered = select(service_areas.c.service_id).where(service_areas.c.area_key.in_(place.keys))
        located_in = _located().where(locations.c.outward_code.in_(place.outward_codes))
        conds.append(or_(services.c.id.in_(covered), services.c.id.in_(located_in)))
    return conds


def _opening(q: ServiceQuery) -> list[ColumnElement[bool]]:
    if not (q.day or q.start_time or q.end_time):
        return []
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
    return [services.c.id.in_(select(schedules.c.service_id).where(and_(*parts)))]


def _seconds(clock: str) -> str:
    return clock if clock.count(":") == 2 else clock + ":00"


def _located() -> Select[tuple[str]]:
    return select(service_at_locations.c.service_id).join(
        locations, locations.c.id == service_at_locations.c.location_id
    )


@dataclass(frozen=True)
class _Listed:
    """What a search lists: services, or services at each of their places. `key` is its id,
    `source` what it is read from, `located` its id as seen from `service_at_locations`."""

    key: ColumnElement[str]
    source: FromClause
    located: ColumnElement[str]


SERVICES = _Listed(services.c.id, services, service_at_locations.c.service_id)
SERVICES_AT_LOCATIONS = _Listed(
    service_at_locations.c.id,
    services.join(service_at_locations, service_at_locations.c.service_id == services.c.id),
    service_at_locations.c.id,
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
    conds = _conditions(q, place)
    words = q.words
    if not words and (place is None or place.centre is None):
        matching = select(listed.key).select_from(listed.source).where(*conds)
        total = await session.scalar(select(func.count()).select_from(matching.subquery()))
        ids = (
            await session.execute(matching.order_by(services.c.name, listed.key).offset(q.offset).limit(q.per_page))
        ).scalars()
        return Found(list(ids), int(total or 0), {})

    columns = [listed.key.label("id"), services.c.name] + ([services.c.search_text] if words else [])
    rows = (await session.execute(select(*columns).select_from(listed.source).where(*conds))).all()
    distances: dict[str, float] = {}
    if place is not None and place.centre is not None and rows:
        matching_services = select(services.c.id).where(*conds)
        points = await session.execute(
            select(listed.located, locations.c.geo_lat, locations.c.geo_lon)
            .join(locations, locations.c.id == service_at_locations.c.location_id)
            .where(service_at_locations.c.service_id.in_(matching_services), locations.c.geo_lat.is_not(None))
        )
        for key, lat, lon in points:
            metres = domain.haversine_m(place.centre[0], place.centre[1], lat, lon)
            distances[key] = min(metres, distances.get(key, inf))
    if q.proximity is not None:
        rows = [r for r in rows if distances.get(r.id, inf) <= q.proximity]

    def rank(row: Row[Any]) -> tuple[int, float, str, str]:
        score = domain.relevance(words, row.name, row.search_text) if words else 0
        return (-score, distances.get(row.id, inf), row.name.lower(), row.id)

    ranked = sorted(rows, key=rank)
    return Found([r.id for r in ranked[q.offset : q.offset + q.per_page]], len(ranked), distances)
