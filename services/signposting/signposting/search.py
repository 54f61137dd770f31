"""Search the directory by words, need, area or postcode, day, language and accessibility.

The database narrows the candidates (indexed filters, a bounding box for proximity); ranking by
relevance and distance happens here, on that short list, with the haversine formula. Without
words or a place the database pages the results itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from math import inf

from sqlalchemy import and_, func, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from signposting import domain
from signposting.store import (
    accessibility,
    attributes,
    languages,
    locations,
    schedules,
    service_areas,
    service_at_locations,
    services,
    taxonomy_terms,
)


@dataclass
class ServiceQuery:
    search: str | None = None
    taxonomy_term_ids: list[str] = field(default_factory=list)
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

    def place(self) -> domain.Place | None:
        try:
            if self.postcode:
                return domain.find_postcode(self.postcode)
            if self.area:
                return domain.find_area(self.area)
        except ValueError as exc:
            raise Invalid(f"postcode: {exc}.") from None
        return None

    @property
    def words(self) -> list[str]:
        return domain.words_of(self.search or "")

    @property
    def about_a_need(self) -> bool:
        """Whether finding nothing says something about unmet need (not just paging or listing)."""
        return bool(self.words or self.taxonomy_term_ids or self.postcode or self.area)


@dataclass
class Found:
    ids: list[str]
    total: int
    distances: dict[str, float]
    place: domain.Place | None


def _like(word: str) -> str:
    return "%" + word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _conditions(session: AsyncSession, q: ServiceQuery, place: domain.Place | None) -> list:
    conds = []
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
    conds += [services.c.search_text.like(_like(w), escape="\\") for w in q.words]
    if q.taxonomy_term_ids:
        children = select(taxonomy_terms.c.id).where(taxonomy_terms.c.parent_id.in_(q.taxonomy_term_ids))
        terms = or_(attributes.c.taxonomy_term_id.in_(q.taxonomy_term_ids), attributes.c.taxonomy_term_id.in_(children))
        conds.append(services.c.id.in_(select(attributes.c.link_id).where(attributes.c.link_entity == "service", terms)))
    if q.taxonomy_id:
        in_taxonomy = select(taxonomy_terms.c.id).where(taxonomy_terms.c.taxonomy_id == q.taxonomy_id)
        conds.append(services.c.id.in_(
            select(attributes.c.link_id).where(attributes.c.link_entity == "service", attributes.c.taxonomy_term_id.in_(in_taxonomy))
        ))
    conds += _opening(q)
    if q.language:
        wanted = q.language.strip().lower()
        conds.append(services.c.id.in_(select(languages.c.service_id).where(
            or_(func.lower(languages.c.name) == wanted, func.lower(languages.c.code) == wanted))))
    if q.accessibility:
        text = func.lower(func.coalesce(accessibility.c.description, "") + " " + func.coalesce(accessibility.c.details, ""))
        located = select(service_at_locations.c.service_id).join(
            accessibility, accessibility.c.location_id == service_at_locations.c.location_id)
        conds += [services.c.id.in_(located.where(text.like(_like(w), escape="\\"))) for w in domain.words_of(q.accessibility)]
    if place is not None and q.proximity is not None:
        lat_min, lat_max, lon_min, lon_max = domain.bounding_box(*place.centre, q.proximity)
        conds.append(services.c.id.in_(_located().where(
            locations.c.geo_lat.between(lat_min, lat_max), locations.c.geo_lon.between(lon_min, lon_max))))
    elif place is not None and not place.whole_county:
        covered = select(service_areas.c.service_id).where(service_areas.c.area_key.in_(place.keys))
        located = _located().where(locations.c.outward_code.in_(place.outward_codes))
        conds.append(or_(services.c.id.in_(covered), services.c.id.in_(located)))
    return conds


def _opening(q: ServiceQuery) -> list:
    if not (q.day or q.start_time or q.end_time):
        return []
    parts = []
    if q.day:
        try:
            parts.append(schedules.c.byday.like(_like(domain.day_code(q.day))))
        except ValueError as exc:
            raise Invalid(f"day: {exc}.") from None
    # Times are kept as HH:MM:SS text, which sorts like the clock.
    if q.start_time:
        parts.append(schedules.c.opens_at >= _seconds(q.start_time))
    if q.end_time:
        parts.append(schedules.c.closes_at <= _seconds(q.end_time))
    return [services.c.id.in_(select(schedules.c.service_id).where(and_(*parts)))]


def _seconds(clock: str) -> str:
    return clock if clock.count(":") == 2 else clock + ":00"


def _located():
    return select(service_at_locations.c.service_id).join(locations, locations.c.id == service_at_locations.c.location_id)


async def find_services(session: AsyncSession, q: ServiceQuery) -> Found:
    place = q.place()
    if q.proximity is not None and (place is None or place.centre is None):
        raise Invalid("proximity: give a postcode too: proximity is measured in metres from its centre.")
    conds = _conditions(session, q, place)
    offset = (q.page - 1) * q.per_page
    words = q.words
    if not words and (place is None or place.centre is None):
        total = await session.scalar(select(func.count()).select_from(services).where(*conds))
        ids = (await session.execute(
            select(services.c.id).where(*conds).order_by(services.c.name, services.c.id).offset(offset).limit(q.per_page)
        )).scalars().all()
        return Found(list(ids), total, {}, place)

    columns = [services.c.id, services.c.name] + ([services.c.search_text] if words else [])
    rows = (await session.execute(select(*columns).where(*conds))).all()
    distances: dict[str, float] = {}
    if place is not None and place.centre is not None and rows:
        matching = select(services.c.id).where(*conds)
        points = await session.execute(
            select(service_at_locations.c.service_id, locations.c.geo_lat, locations.c.geo_lon)
            .join(locations, locations.c.id == service_at_locations.c.location_id)
            .where(service_at_locations.c.service_id.in_(matching), locations.c.geo_lat.is_not(None))
        )
        for service_id, lat, lon in points:
            metres = domain.haversine_m(*place.centre, lat, lon)
            distances[service_id] = min(metres, distances.get(service_id, inf))
    if q.proximity is not None:
        rows = [r for r in rows if distances.get(r.id, inf) <= q.proximity]

    def rank(row) -> tuple:
        score = domain.relevance(words, row.name, row.search_text) if words else 0
        return (-score, distances.get(row.id, inf), row.name.lower(), row.id)

    ranked = sorted(rows, key=rank)
    return Found([r.id for r in ranked[offset : offset + q.per_page]], len(ranked), distances, place)
