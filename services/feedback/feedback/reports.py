"""Reports staff ask for: counts by theme, area, source and month; escalations open, overdue and
resolved; and an anonymised export of feedback as CSV."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import Rules
from feedback.store import community_groups, escalation_feedback, escalations, feedback
from forum_shared.errors import Invalid

NOT_GIVEN = "not given"

# The export leaves out everything that identifies someone (member id, contact details, the free
# words about the source, who entered it) and the staff-only criticality.
EXPORT_COLUMNS = [
    "reference", "received_on", "month", "channel", "source_kind", "community_group", "pop_up_id",
    "meeting_id", "area", "themes", "tags", "polarity", "safeguarding_concern", "status", "escalated", "text",
]


def _period(rules: Rules, since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    if since and until and since > until:
        raise Invalid("The report's 'since' date is after its 'until' date: swap them round.")
    zone = ZoneInfo(rules.time_zone)
    start = datetime.combine(since, time(), zone).astimezone(UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), zone).astimezone(UTC) if until else None
    return start, end


def _within(query, column, start: datetime | None, end: datetime | None):
    if start:
        query = query.where(column >= start)
    if end:
        query = query.where(column < end)
    return query


async def summary(session: AsyncSession, rules: Rules, today: date, since: date | None = None, until: date | None = None) -> dict:
    """Counts of feedback received, and of escalations raised, between two dates (inclusive)."""
    start, end = _period(rules, since, until)
    rows = (
        await session.execute(
            _within(
                select(feedback.c.themes, feedback.c.area, feedback.c.source_kind, feedback.c.channel,
                       feedback.c.polarity, feedback.c.received_at),
                feedback.c.received_at, start, end,
            )
        )
    ).all()
    by_theme: Counter = Counter()
    for r in rows:
        by_theme.update(r.themes)
    esc = (
        await session.execute(
            _within(select(escalations.c.status, escalations.c.respond_by, escalations.c.raised_by),
                    escalations.c.raised_at, start, end)
        )
    ).all()
    return {
        "since": since,
        "until": until,
        "total": len(rows),
        "by_theme": _sorted(by_theme),
        "by_area": _sorted(Counter(r.area or NOT_GIVEN for r in rows)),
        "by_source": _sorted(Counter(r.source_kind for r in rows)),
        "by_channel": _sorted(Counter(r.channel for r in rows)),
        "by_polarity": _sorted(Counter(r.polarity or NOT_GIVEN for r in rows)),
        "by_month": dict(sorted(Counter(domain.month_of(rules.local_date(r.received_at)) for r in rows).items())),
        "escalations": {
            "open": sum(e.status in domain.OPEN for e in esc),
            "awaiting_response": sum(e.status in domain.AWAITING_RESPONSE for e in esc),
            "overdue": sum(domain.is_overdue(e.status, e.respond_by, today) for e in esc),
            "resolved": sum(e.status == domain.EscalationStatus.resolved for e in esc),
            "by_route": _sorted(Counter(e.raised_by for e in esc)),
        },
    }


def _sorted(counts: Counter) -> dict[str, int]:
    """Largest first, then by name, so reports read the same every time."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_csv(report: dict) -> str:
    """The summary as rows of (measure, value, count), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "value", "count"])
    writer.writerow(["feedback", "total", report["total"]])
    for measure in ("by_theme", "by_area", "by_source", "by_channel", "by_polarity", "by_month"):
        for value, count in report[measure].items():
            writer.writerow([measure.removeprefix("by_"), domain.safe_cell(value), count])
    counts = report["escalations"]
    for state in ("open", "awaiting_response", "overdue", "resolved"):
        writer.writerow(["escalations", state, counts[state]])
    for route, count in counts["by_route"].items():
        writer.writerow(["escalations_by_route", route, count])
    return out.getvalue()


async def feedback_csv(session: AsyncSession, rules: Rules, since: date | None = None, until: date | None = None) -> str:
    """Anonymised feedback, oldest first, one row each."""
    start, end = _period(rules, since, until)
    rows = (
        await session.execute(
            _within(
                select(feedback, community_groups.c.name.label("group_name"))
                .outerjoin(community_groups, community_groups.c.id == feedback.c.community_group_id)
                .order_by(feedback.c.received_at, feedback.c.id),
                feedback.c.received_at, start, end,
            )
        )
    ).all()
    escalated = set(await session.scalars(select(escalation_feedback.c.feedback_id).distinct()))
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for r in rows:
        day = rules.local_date(r.received_at)
        writer.writerow(
            [domain.safe_cell(v) for v in (
                r.id, day.isoformat(), domain.month_of(day), r.channel, r.source_kind, r.group_name,
                r.pop_up_id, r.meeting_id, r.area, "; ".join(r.themes), "; ".join(r.tags), r.polarity,
                "yes" if r.safeguarding_concern else "no", r.status, "yes" if r.id in escalated else "no", r.text,
            )]
        )
    return out.getvalue()
