"""Moving around the county: which area has waited longest, and meetings per area last year."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from meetings import domain
from meetings.records import AreaReport, AreaSuggestion, AreaVisits
from meetings.store.meeting import visits as stored_visits

Visits = list[tuple[str | None, datetime]]


@dataclass(frozen=True)
class Advice:
    suggestion: str | None
    warnings: tuple[str, ...] = ()


def _last_visits(visits: Visits) -> dict[str, date]:
    last: dict[str, date] = {}
    for area, starts_at in visits:
        if area is not None:
            day = domain.local_day(starts_at)
            last[area] = max(last.get(area, day), day)
    return last


async def advice(
    session: AsyncSession, areas: list[str], area: str | None, starts_at: datetime, exclude: str | None = None
) -> Advice:
    """The area to suggest, and a warning if the meeting before this one was in the same area."""
    visits = await stored_visits(session, exclude)
    suggestion = domain.suggest_area(areas, _last_visits(visits))
    earlier = [(a, s) for a, s in visits if a is not None and s < starts_at]
    previous = max(earlier, key=lambda v: v[1], default=None)
    warning = domain.same_area_warning(
        area, (previous[0], domain.local_day(previous[1])) if previous else None, suggestion
    )
    return Advice(suggestion, (warning,) if warning else ())


async def area_suggestion(db: Database, areas: list[str]) -> AreaSuggestion:
    """The area that has waited longest for a meeting, and when each last had one."""
    async with db.read() as session:
        visits = await stored_visits(session)
    last = _last_visits(visits)
    return AreaSuggestion(domain.suggest_area(areas, last), _rows(areas, _count(visits), last))


async def area_report(db: Database, areas: list[str], now: datetime | None = None) -> AreaReport:
    """Meetings per area over the year up to today (UK dates), cancelled ones left out."""
    today = domain.local_day(now or datetime.now(UTC))
    since = domain.one_year_before(today)
    async with db.read() as session:
        visits = [(a, s) for a, s in await stored_visits(session) if since <= domain.local_day(s) <= today]
    counts = _count(visits)
    return AreaReport(since, today, _rows(areas, counts, _last_visits(visits)), counts.get(None, 0))


def _count(visits: Visits) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for area, _ in visits:
        counts[area] = counts.get(area, 0) + 1
    return counts


def _rows(areas: list[str], counts: dict[str | None, int], last: dict[str, date]) -> tuple[AreaVisits, ...]:
    # Areas no longer configured still show, so that a report covers every meeting.
    shown = list(areas) + sorted(a for a in last if a not in areas)
    return tuple(AreaVisits(a, counts.get(a, 0), last.get(a)) for a in shown)
