"""The involvement record: time each member gave, credited from the meetings service's events or
recorded by staff, and a monthly statement per member for recognition and payment.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.events import MeetingHeld, PopUpForumHeld
from forum_shared.identity.principal import Principal
from forum_shared.logs import get_logger
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.domain import EntryKind, EntrySource
from membership.records import InvolvementEntry, RoleTotal, Statement
from membership.schemas import EntryCreate
from membership.service.members import existing_member
from membership.store import holding_queries, involvement_queries, member_queries

log = get_logger("membership.involvement")


@dataclass(frozen=True)
class Source:
    """Where an entry came from: a meeting or pop-up forum (with the event that reported it), or staff."""

    kind: EntrySource
    id: str | None = None
    event_id: str | None = None


BY_STAFF = Source(EntrySource.staff)


async def record_meeting_attendance(session: AsyncSession, event: MeetingHeld, event_id: str) -> int:
    """Each member who attended a forum meeting is credited with its length, once; how many were.
    Runs in the transaction of the event's inbox entry."""
    source = Source(EntrySource.meeting, event.meeting_id, event_id)
    return await _credit(
        session, event.attendee_member_ids, EntryKind.meeting_attendance, source, event.held_on, event.hours
    )


async def record_pop_up_facilitation(session: AsyncSession, event: PopUpForumHeld, event_id: str) -> int:
    """Each member who facilitated a pop-up forum is credited with its length, once; how many were.
    Runs in the transaction of the event's inbox entry."""
    source = Source(EntrySource.pop_up, event.pop_up_id, event_id)
    return await _credit(
        session,
        event.facilitator_member_ids,
        EntryKind.pop_up_facilitation,
        source,
        event.held_on,
        event.hours,
    )


async def _credit(
    session: AsyncSession,
    member_ids: list[str],
    kind: EntryKind,
    source: Source,
    worked_on: date,
    hours: float,
) -> int:
    hundredths = domain.hundredths_of(hours)  # a nonsense length is refused: retried, then dead-lettered
    wanted = list(dict.fromkeys(member_ids))
    known = await member_queries.known_member_ids(session, wanted)
    # Unknown ids are members who were erased (or never joined here): nothing is recorded for them.
    if len(known) < len(wanted):
        log.info("time not recorded for unknown or erased members", skipped=len(wanted) - len(known))
    recorded = 0
    for member_id in (m for m in wanted if m in known):
        holding = domain.holding_for(await holding_queries.holdings_with_pay(session, member_id), worked_on)
        entry = _entry(member_id, kind, worked_on, hundredths, holding, source)
        if await involvement_queries.add_entry_once(session, entry):
            recorded += 1
    return recorded


async def record_time(db: Database, actor: Principal, member_id: str, data: EntryCreate) -> InvolvementEntry:
    """Staff record time a member gave, such as preparation or travel. It counts under the holding
    staff chose (which must cover the day), or else under the best one held that day."""
    async with unit_of_work(db, actor) as work:
        await existing_member(work.session, member_id)
        held = await holding_queries.holdings_with_pay(work.session, member_id)
        if data.assignment_id:
            holding: domain.Holding | None = domain.chosen_holding(held, data.assignment_id, data.worked_on)
        else:
            holding = domain.holding_for(held, data.worked_on)
        hundredths = domain.hundredths_of(data.hours)
        entry = _entry(member_id, EntryKind(data.kind), data.worked_on, hundredths, holding, BY_STAFF, data.note)
        await involvement_queries.add_entry(work.session, entry)
        work.audit("involvement.recorded", f"entry:{entry['id']}", member_id=member_id)
        return await involvement_queries.added_entry(work.session, entry["id"])


def _entry(
    member_id: str,
    kind: EntryKind,
    worked_on: date,
    hundredths: int,
    holding: domain.Holding | None,
    source: Source,
    note: str | None = None,
) -> dict[str, Any]:
    # The rate is copied onto the entry, so a later change to the role never rewrites past pay.
    paid = holding is not None and holding.paid
    return {
        "id": str(uuid.uuid4()),
        "member_id": member_id,
        "kind": kind.value,
        "worked_on": worked_on,
        "hours_hundredths": hundredths,
        "assignment_id": holding.assignment_id if holding else None,
        "paid": paid,
        "hourly_rate_pence": holding.hourly_rate_pence if holding is not None and paid else 0,
        "source": source.kind.value,
        "source_id": source.id,
        "source_event_id": source.event_id,
        "note": note,
        "recorded_at": datetime.now(UTC),
    }


async def member_entries(db: Database, member_id: str, month: str | None = None) -> list[InvolvementEntry]:
    """A member's involvement record, oldest first; or one month (YYYY-MM) of it."""
    async with db.read() as session:
        await existing_member(session, member_id)
        first, after = domain.month_bounds(month) if month else (None, None)
        return await involvement_queries.entries(session, member_id=member_id, worked_from=first, worked_before=after)


async def monthly_statement(db: Database, member_id: str, month: str) -> Statement:
    """A member's time given in one month: every entry, and totals by role that are the sums of
    the entries' own (rounded) pay."""
    async with db.read() as session:
        member = await existing_member(session, member_id)
        first, after = domain.month_bounds(month)
        entries = await involvement_queries.entries(
            session, member_id=member_id, worked_from=first, worked_before=after
        )
    by_role: dict[tuple[str | None, bool, int], list[InvolvementEntry]] = {}
    for e in entries:
        by_role.setdefault((e.role_title, e.paid, e.hourly_rate_pence), []).append(e)
    paid = sum(e.hours_hundredths for e in entries if e.paid)
    everything = sum(e.hours_hundredths for e in entries)
    return Statement(
        member_id=member_id,
        display_name=member.display_name,
        month=month,
        entries=tuple(entries),
        total_hours=domain.hours(everything),
        paid_hours=domain.hours(paid),
        voluntary_hours=domain.hours(everything - paid),
        amount_due=domain.money(sum(e.amount_pence for e in entries)),
        by_role=tuple(
            RoleTotal(
                role_title=title,
                paid=is_paid,
                hourly_rate=domain.money(rate) if is_paid else None,
                hours=domain.hours(sum(e.hours_hundredths for e in lines)),
                amount=domain.money(sum(e.amount_pence for e in lines)),
            )
            for (title, is_paid, rate), lines in by_role.items()
        ),
    )
