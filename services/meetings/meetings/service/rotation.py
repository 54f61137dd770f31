"""Moving around the county: which area has waited longest, and meetings per area last year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from meetings import domain
from meetings.domain import MeetingStatus
from meetings.service.common import now_or
from meetings.store import meetings


@dataclass
class Advice:
    suggestion: str | None
    warnings: list[str] = field(default_factory=list)


async def _visits(session: AsyncSession, exclude: str | None = None) -> list[tuple[str | None, datetime]]:
    """(area, start) of every meeting not cancelled; an online-only meeting has no area."""
    query = select(meetings.c.area, meetings.c.starts_at).where(meetings.c.status != MeetingStatus.cancelled)
    if exclude:
        query = query.where(meetings.c.id != exclude)
    return [(r.area, r.starts_at) for r in (await session.execute(query)).all()]


def _last_visits(visits: list[tuple[str | None, datetime]]) -> dict[str, date]:
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
    visits = await _visits(session, exclude)
    suggestion = domain.suggest_area(areas, _last_visits(visits))
    earlier = [(a, s) for a, s in visits if a is not None and s < starts_at]
    previous = max(earlier, key=lambda v: v[1], default=None)
    warning = domain.same_area_warning(
        area, (previous[0], domain.local_day(previous[1])) if previous else None, suggestion
    )
    return Advice(suggestion, [warning] if warning else [])


async def area_suggestion(session: AsyncSession, areas: list[str]) -> dict:
    visits = await _visits(session)
    last = _last_visits(visits)
    counts = _count(visits)
    return {
        "suggested_area": domain.suggest_area(areas, last),
        "areas": [_visit_row(a, counts, last) for a in _with_others(areas, last)],
    }


async def area_report(session: AsyncSession, areas: list[str], now: datetime | None = None) -> dict:
    """Meetings per area over the year up to today (UK dates), cancelled ones left out."""
    today = domain.local_day(now_or(now))
    since = domain.one_year_before(today)
    visits = [(a, s) for a, s in await _visits(session) if since <= domain.local_day(s) <= today]
    last = _last_visits(visits)
    counts = _count(visits)
    return {
        "from_date": since,
        "to_date": today,
        "areas": [_visit_row(a, counts, last) for a in _with_others(areas, last)],
        "online_only": counts.get(None, 0),
    }


def _count(visits: list[tuple[str | None, datetime]]) -> dict[str | None, int]:
    counts: dict[str | None, int] = {}
    for area, _ in visits:
        counts[area] = counts.get(area, 0) + 1
    return counts


def _with_others(areas: list[str], last: dict[str, date]) -> list[str]:
    # Areas no longer configured still show, so that a report covers every meeting.
    return list(areas) + sorted(a for a in last if a not in areas)


def _visit_row(area: str, counts: dict[str | None, int], last: dict[str, date]) -> dict:
    return {"area": area, "meetings": counts.get(area, 0), "last_meeting_on": last.get(area)}
