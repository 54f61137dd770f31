"""Reports staff ask for: counts by theme, area, source and month; praise, counted as what is
working; escalations open, overdue and resolved; and an anonymised export of feedback. CSV cells
never start a spreadsheet formula."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from feedback import domain
from feedback.domain import Rules
from feedback.records import EscalationCounts, Report
from feedback.store import report_queries
from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.spreadsheets import safe_cell

NOT_GIVEN = "not given"

# The export leaves out everything that identifies someone (member id, contact details, the free
# words about the source, who entered it) and the staff-only criticality.
EXPORT_COLUMNS = [
    "reference", "received_on", "month", "channel", "source_kind", "community_group", "pop_up_id",
    "meeting_id", "area", "themes", "tags", "polarity", "safeguarding_concern", "status", "escalated", "text",
]


def _period(rules: Rules, since: date | None, until: date | None) -> tuple[datetime | None, datetime | None]:
    """The moments the local days `since` and `until` (both included) start and end."""
    if since and until and since > until:
        raise Invalid("The report's 'since' date is after its 'until' date: swap them round.")
    zone = ZoneInfo(rules.time_zone)
    start = datetime.combine(since, time(), zone).astimezone(UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time(), zone).astimezone(UTC) if until else None
    return start, end


async def summary(
    db: Database, rules: Rules, today: date, since: date | None = None, until: date | None = None
) -> Report:
    """Counts of feedback received, and of escalations raised, between two dates (inclusive)."""
    start, end = _period(rules, since, until)
    async with db.read() as session:
        received = await report_queries.received_between(session, start, end)
        raised = await report_queries.raised_between(session, start, end)
    by_theme: Counter[str] = Counter()
    working: Counter[str] = Counter()
    for r in received:
        by_theme.update(r.themes)
        if r.polarity == domain.Polarity.positive:
            working.update(r.themes or [NOT_GIVEN])
    return Report(
        since=since,
        until=until,
        total=len(received),
        by_theme=_sorted(by_theme),
        by_area=_sorted(Counter(r.area or NOT_GIVEN for r in received)),
        by_source=_sorted(Counter(str(r.source_kind) for r in received)),
        by_channel=_sorted(Counter(str(r.channel) for r in received)),
        by_polarity=_sorted(Counter(str(r.polarity or NOT_GIVEN) for r in received)),
        by_month=dict(sorted(Counter(domain.month_of(rules.local_date(r.received_at)) for r in received).items())),
        escalations=EscalationCounts(
            open=sum(e.status in domain.OPEN for e in raised),
            awaiting_response=sum(e.status in domain.AWAITING_RESPONSE for e in raised),
            overdue=sum(domain.is_overdue(e.status, e.respond_by, today) for e in raised),
            resolved=sum(e.status == domain.EscalationStatus.resolved for e in raised),
            by_route=_sorted(Counter(str(e.raised_by) for e in raised)),
        ),
        praise=sum(r.polarity == domain.Polarity.positive for r in received),
        whats_working=_sorted(working),
    )


def _sorted(counts: Counter[str]) -> dict[str, int]:
    """Largest first, then by name, so reports read the same every time."""
    return dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))


def summary_csv(report: Report) -> str:
    """The summary as rows of (measure, value, count), for a spreadsheet."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["measure", "value", "count"])
    writer.writerow(["feedback", "total", report.total])
    measures = {
        "theme": report.by_theme, "area": report.by_area, "source": report.by_source,
        "channel": report.by_channel, "polarity": report.by_polarity, "month": report.by_month,
    }
    for measure, counts in measures.items():
        for value, count in counts.items():
            writer.writerow([measure, safe_cell(value), count])
    writer.writerow(["praise", "total", report.praise])
    for theme, count in report.whats_working.items():
        writer.writerow(["whats_working", safe_cell(theme), count])
    escalations = report.escalations
    for state, count in (
        ("open", escalations.open), ("awaiting_response", escalations.awaiting_response),
        ("overdue", escalations.overdue), ("resolved", escalations.resolved),
    ):
        writer.writerow(["escalations", state, count])
    for route, count in escalations.by_route.items():
        writer.writerow(["escalations_by_route", route, count])
    return out.getvalue()


async def feedback_csv(db: Database, rules: Rules, since: date | None = None, until: date | None = None) -> str:
    """Anonymised feedback, oldest first, one row each."""
    start, end = _period(rules, since, until)
    async with db.read() as session:
        rows = await report_queries.export_between(session, start, end)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(EXPORT_COLUMNS)
    for r in rows:
        day = rules.local_date(r.received_at)
        writer.writerow(
            [safe_cell(v) for v in (
                r.id, day.isoformat(), domain.month_of(day), r.channel, r.source_kind, r.group_name,
                r.pop_up_id, r.meeting_id, r.area, "; ".join(r.themes), "; ".join(r.tags), r.polarity,
                "yes" if r.safeguarding_concern else "no", r.status, "yes" if r.escalated else "no", r.text,
            )]
        )
    return out.getvalue()
