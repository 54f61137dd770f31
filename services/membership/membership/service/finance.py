"""Paid time for the finance team: one CSV line per entry at its role's rate, then a total that is
the sum of the lines above it, so the export, the statements and the entries always agree."""

from __future__ import annotations

import csv
import io

from forum_shared.db import Database
from forum_shared.spreadsheets import safe_cell
from membership import domain
from membership.store import involvement_queries

FINANCE_COLUMNS = [
    "entry_id",
    "member_id",
    "member_name",
    "role",
    "kind",
    "worked_on",
    "hours",
    "hourly_rate",
    "amount",
]


async def finance_export(db: Database, month: str) -> str:
    """Paid time in one month (YYYY-MM) as CSV text; every cell is safe to open in a spreadsheet."""
    first, after = domain.month_bounds(month)
    async with db.read() as session:
        entries = await involvement_queries.entries(session, worked_from=first, worked_before=after, paid_only=True)
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINANCE_COLUMNS)
    for e in entries:
        line = [e.id, e.member_id, e.display_name, e.role_title, e.kind.value, e.worked_on.isoformat(), e.hours,
                e.hourly_rate, e.amount]
        writer.writerow([safe_cell(cell) for cell in line])
    hundredths = sum(e.hours_hundredths for e in entries)
    pence = sum(e.amount_pence for e in entries)
    writer.writerow(["TOTAL", "", "", "", "", "", domain.hours(hundredths), "", domain.pounds(pence)])
    return out.getvalue()
