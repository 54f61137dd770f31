"""The involvement record: time each member gave, recorded from meetings and pop-up forums or by
staff, with a monthly statement per member and a CSV of paid time for the finance team.
"""

from __future__ import annotations

import csv
import io
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime

from sqlalchemy import and_, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from forum_shared.events import MeetingHeld, PopUpForumHeld
from forum_shared.logs import get_logger
from membership import domain, service
from membership.domain import EntryKind
from membership.role_schemas import EntryCreate
from membership.store import assignments, involvement_entries, members, roles

log = get_logger("membership.involvement")


async def record_meeting_attendance(session: AsyncSession, event: MeetingHeld, event_id: str) -> int:
    """Each member who attended a forum meeting is credited with its length."""
    source = Source("meeting", event.meeting_id, event_id)
    return await _record_from_event(
        session, event.attendee_member_ids, EntryKind.meeting_attendance, source, event.held_on, event.hours
    )


async def record_pop_up_facilitation(session: AsyncSession, event: PopUpForumHeld, event_id: str) -> int:
    """Each member who facilitated a pop-up forum is credited with its length."""
    source = Source("pop_up", event.pop_up_id, event_id)
    return await _record_from_event(
        session,
        event.facilitator_member_ids,
        EntryKind.pop_up_facilitation,
        source,
        event.held_on,
        event.hours,
    )


@dataclass(frozen=True)
class Source:
    """Where an entry came from: a meeting or pop-up forum (with the event that reported it), or staff."""

    kind: str
    id: str | None = None
    event_id: str | None = None


BY_STAFF = Source("staff")


async def _record_from_event(
    session: AsyncSession,
    member_ids: list[str],
    kind: EntryKind,
    source: Source,
    worked_on: date,
    hours: float,
) -> int:
    hundredths = domain.hundredths_of(hours)  # a nonsense length is an error: retried, then dead-lettered
    wanted = list(dict.fromkeys(member_ids))
    found = await session.scalars(select(members.c.id).where(members.c.id.in_(wanted))) if wanted else []
    known = set(found)
    # Unknown ids are members who were erased (or never joined here): nothing is recorded for them.
    if len(known) < len(wanted):
        log.info("time not recorded for unknown or erased members", skipped=len(wanted) - len(known))
    recorded = 0
    for member_id in (m for m in wanted if m in known):
        holding = domain.holding_for(await _holdings(session, member_id), worked_on)
        recorded += await _insert_once(
            session, _entry(member_id, kind, worked_on, hundredths, holding, source)
        )
    return recorded


async def record_by_hand(session: AsyncSession, member_id: str, data: EntryCreate) -> dict:
    """Staff record time such as preparation or travel."""
    await service.get_member(session, member_id)
    held = await _holdings(session, member_id)
    if data.assignment_id:
        holding = next((h for h in held if h.assignment_id == data.assignment_id), None)
        if holding is None or not holding.covers(data.worked_on):
            raise Invalid(f"This member did not hold that role on {data.worked_on:%d %B %Y}.")
    else:
        holding = domain.holding_for(held, data.worked_on)
    hundredths = domain.hundredths_of(data.hours)
    row = _entry(member_id, EntryKind(data.kind), data.worked_on, hundredths, holding, BY_STAFF, data.note)
    await session.execute(insert(involvement_entries).values(**row))
    return (await _entries(session, involvement_entries.c.id == row["id"]))[0]


def _entry(
    member_id: str,
    kind: EntryKind,
    worked_on: date,
    hundredths: int,
    holding: domain.Holding | None,
    source: Source,
    note: str | None = None,
) -> dict:
    paid = bool(holding and holding.paid)
    return {
        "id": str(uuid.uuid4()),
        "member_id": member_id,
        "kind": kind,
        "worked_on": worked_on,
        "hours_hundredths": hundredths,
        "assignment_id": holding.assignment_id if holding else None,
        "paid": paid,
        "hourly_rate_pence": holding.hourly_rate_pence if paid else 0,
        "source": source.kind,
        "source_id": source.id,
        "source_event_id": source.event_id,
        "note": note,
        "recorded_at": datetime.now(UTC),
    }


async def _insert_once(session: AsyncSession, row: dict) -> int:
    """Insert unless this member already has an entry for this meeting or pop-up forum."""
    dialect = postgresql if session.bind.dialect.name == "postgresql" else sqlite
    statement = (
        dialect.insert(involvement_entries)
        .values(**row)
        .on_conflict_do_nothing(index_elements=["source", "source_id", "member_id"])
    )
    return (await session.execute(statement)).rowcount


async def _holdings(session: AsyncSession, member_id: str) -> list[domain.Holding]:
    rows = await session.execute(
        select(
            assignments.c.id,
            assignments.c.starts_on,
            assignments.c.ends_on,
            roles.c.paid,
            roles.c.hourly_rate_pence,
        )
        .join(roles, roles.c.id == assignments.c.role_id)
        .where(assignments.c.member_id == member_id)
    )
    return [domain.Holding(r.id, r.starts_on, r.ends_on, r.paid, r.hourly_rate_pence) for r in rows.all()]


async def _entries(session: AsyncSession, *where) -> list[dict]:
    rows = await session.execute(
        select(involvement_entries, roles.c.title.label("role_title"), members.c.display_name)
        .join(members, members.c.id == involvement_entries.c.member_id)
        .outerjoin(assignments, assignments.c.id == involvement_entries.c.assignment_id)
        .outerjoin(roles, roles.c.id == assignments.c.role_id)
        .where(*where)
        .order_by(
            involvement_entries.c.worked_on, involvement_entries.c.recorded_at, involvement_entries.c.id
        )
    )
    return [_entry_public(r) for r in rows.all()]


def _entry_public(row) -> dict:
    pence = domain.pay_pence(row.hours_hundredths, row.hourly_rate_pence) if row.paid else 0
    return {
        **row._mapping,
        "hours": domain.hours(row.hours_hundredths),
        "hourly_rate": domain.money(row.hourly_rate_pence) if row.paid else None,
        "amount": domain.money(pence),
        "amount_pence": pence,
    }


def _in_month(month: str):
    try:
        first, after = domain.month_bounds(month)
    except ValueError as exc:
        raise Invalid(str(exc)) from exc
    return and_(involvement_entries.c.worked_on >= first, involvement_entries.c.worked_on < after)


async def member_entries(session: AsyncSession, member_id: str, month: str | None = None) -> list[dict]:
    await service.get_member(session, member_id)
    where = [involvement_entries.c.member_id == member_id]
    if month:
        where.append(_in_month(month))
    return await _entries(session, *where)


async def monthly_statement(session: AsyncSession, member_id: str, month: str) -> dict:
    """A member's time given in one month: every entry, and totals by role."""
    member = await service.get_member(session, member_id)
    entries = await _entries(session, involvement_entries.c.member_id == member_id, _in_month(month))
    by_role: dict[tuple, dict] = {}
    for e in entries:
        key = (e["role_title"], e["paid"], e["hourly_rate_pence"])
        total = by_role.setdefault(key, {"hundredths": 0, "pence": 0})
        total["hundredths"] += e["hours_hundredths"]
        total["pence"] += e["amount_pence"]
    paid = sum(e["hours_hundredths"] for e in entries if e["paid"])
    everything = sum(e["hours_hundredths"] for e in entries)
    return {
        "member_id": member_id,
        "display_name": member["display_name"],
        "month": month,
        "entries": entries,
        "total_hours": domain.hours(everything),
        "paid_hours": domain.hours(paid),
        "voluntary_hours": domain.hours(everything - paid),
        "amount_due": domain.money(sum(e["amount_pence"] for e in entries)),
        "by_role": [
            {
                "role_title": title,
                "paid": is_paid,
                "hourly_rate": domain.money(rate) if is_paid else None,
                "hours": domain.hours(t["hundredths"]),
                "amount": domain.money(t["pence"]),
            }
            for (title, is_paid, rate), t in by_role.items()
        ],
    }


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


async def finance_export(session: AsyncSession, month: str) -> str:
    """Paid time in one month as CSV, one line per entry at its role's rate, with a total line
    that is the sum of the lines above it."""
    entries = await _entries(session, involvement_entries.c.paid.is_(True), _in_month(month))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(FINANCE_COLUMNS)
    for e in entries:
        writer.writerow(
            [
                e["id"],
                e["member_id"],
                domain.spreadsheet_safe(e["display_name"]),
                domain.spreadsheet_safe(e["role_title"] or ""),
                e["kind"],
                e["worked_on"].isoformat(),
                e["hours"],
                e["hourly_rate"],
                e["amount"],
            ]
        )
    hundredths = sum(e["hours_hundredths"] for e in entries)
    pence = sum(e["amount_pence"] for e in entries)
    writer.writerow(["TOTAL", "", "", "", "", "", domain.hours(hundredths), "", domain.pounds(pence)])
    return out.getvalue()
