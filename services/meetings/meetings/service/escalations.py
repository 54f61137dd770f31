"""Escalated issues on the agenda: each goes on the next public forum meeting (the open meeting
governors raise it at), or waits until one is scheduled; an overdue one comes back; a resolved
one leaves meetings still to come. The reactions run in the inbox transaction of the event."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.events.feedback import EscalationOverdue, EscalationResolved, IssueEscalated
from meetings import domain
from meetings.domain import AgendaKind
from meetings.store import agenda as stored
from meetings.store.meeting import next_forum_meeting_id

AUTOMATIC = (AgendaKind.escalation, AgendaKind.overdue_escalation)


async def attach_waiting_items(session: AsyncSession, meeting_id: str) -> None:
    """Items waiting for a meeting join this one, in the order they arrived."""
    await stored.move_items(session, [i.id for i in await stored.items_of(session, None)], meeting_id)


async def move_automatic_items(session: AsyncSession, from_meeting_id: str, now: datetime) -> None:
    """A cancelled meeting's escalations move to the next forum meeting, or wait for one."""
    target = await next_forum_meeting_id(session, now, exclude=from_meeting_id)
    items = [i.id for i in await stored.items_of(session, from_meeting_id) if i.kind in AUTOMATIC]
    await stored.move_items(session, items, target)


async def add_escalation_to_agenda(session: AsyncSession, event: IssueEscalated, now: datetime | None = None) -> None:
    """An escalated issue goes on the next forum meeting's agenda, or waits for one; the same
    escalation raised again changes nothing, and neither does one already resolved (its
    resolution can arrive first: each event type has a consumer of its own)."""
    if await stored.is_resolved(session, event.escalation_id) or await stored.escalation_places(
        session, event.escalation_id
    ):
        return
    now = now or datetime.now(UTC)
    await stored.add_item(
        session,
        await next_forum_meeting_id(session, now),
        title=f"Escalated issue: {event.summary}",
        kind=AgendaKind.escalation,
        escalation_id=event.escalation_id,
        respond_by=event.respond_by,
        now=now,
    )


async def add_overdue_escalation_to_agenda(
    session: AsyncSession, event: EscalationOverdue, now: datetime | None = None
) -> None:
    """An overdue escalation is flagged where it already waits to be discussed; if it was
    discussed already (or never reached us), it goes on the next forum meeting again, unless it
    has been resolved since."""
    if await stored.is_resolved(session, event.escalation_id):
        return
    places = await stored.escalation_places(session, event.escalation_id)
    upcoming = [p.item_id for p in places if p.still_to_discuss]
    if upcoming:
        await stored.flag_overdue(session, upcoming, event.respond_by)
        return
    if any(p.kind == AgendaKind.overdue_escalation for p in places):
        return
    now = now or datetime.now(UTC)
    await stored.add_item(
        session,
        await next_forum_meeting_id(session, now),
        title=f"Overdue escalation: {event.summary} (a response was due by {domain.long_date(event.respond_by)})",
        kind=AgendaKind.overdue_escalation,
        escalation_id=event.escalation_id,
        respond_by=event.respond_by,
        overdue=True,
        now=now,
    )


async def take_resolved_escalation_off_the_agenda(session: AsyncSession, event: EscalationResolved) -> None:
    """A resolved escalation leaves the agendas of meetings still to come and the waiting list;
    the agendas of meetings already held keep it, as the record of what was discussed. It is
    remembered, so that its raising or overdue notice, if either arrives later, is ignored."""
    await stored.remember_resolution(session, event.escalation_id, event.resolved_at)
    places = await stored.escalation_places(session, event.escalation_id)
    await stored.remove_items(
        session, [p.item_id for p in places if p.kind in AUTOMATIC and p.still_to_discuss]
    )
