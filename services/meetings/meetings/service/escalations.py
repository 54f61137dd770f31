"""Escalated issues on the agenda: each goes on the next public forum meeting (the open meeting
governors raise it at), or waits until one is scheduled; an overdue one comes back."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.events import EscalationOverdue, EscalationResolved, IssueEscalated
from meetings import domain
from meetings.domain import AgendaKind, MeetingStatus
from meetings.service import agenda
from meetings.service.common import now_or
from meetings.store import agenda_items, meetings

AUTOMATIC = (AgendaKind.escalation, AgendaKind.overdue_escalation)


async def next_forum_meeting_id(
    session: AsyncSession, now: datetime | None = None, exclude: str | None = None
) -> str | None:
    query = select(meetings.c.id).where(
        meetings.c.status == MeetingStatus.scheduled,
        meetings.c.public.is_(True),
        meetings.c.starts_at > now_or(now),
    )
    if exclude:
        query = query.where(meetings.c.id != exclude)
    return await session.scalar(query.order_by(meetings.c.starts_at).limit(1))


async def attach_waiting_items(session: AsyncSession, meeting_id: str) -> None:
    """Items waiting for a meeting join this one, in the order they arrived."""
    waiting = (
        await session.execute(
            select(agenda_items.c.id).where(agenda_items.c.meeting_id.is_(None)).order_by(agenda_items.c.added_at)
        )
    ).all()
    position = await agenda.next_position(session, meeting_id)
    for offset, item in enumerate(waiting):
        await session.execute(
            update(agenda_items).where(agenda_items.c.id == item.id).values(meeting_id=meeting_id, position=position + offset)
        )


async def move_automatic_items(session: AsyncSession, from_meeting_id: str, now: datetime | None = None) -> None:
    """A cancelled meeting's escalations move to the next forum meeting, or wait for one."""
    target = await next_forum_meeting_id(session, now, exclude=from_meeting_id)
    items = (
        await session.execute(
            select(agenda_items.c.id)
            .where(agenda_items.c.meeting_id == from_meeting_id, agenda_items.c.kind.in_(AUTOMATIC))
            .order_by(agenda_items.c.position)
        )
    ).all()
    for item in items:
        position = await agenda.next_position(session, target)
        await session.execute(
            update(agenda_items).where(agenda_items.c.id == item.id).values(meeting_id=target, position=position)
        )


async def add_escalation_to_agenda(session: AsyncSession, event: IssueEscalated) -> None:
    """An escalated issue goes on the next forum meeting's agenda, or waits for one."""
    already = await session.scalar(
        select(agenda_items.c.id).where(agenda_items.c.escalation_id == event.escalation_id).limit(1)
    )
    if already:
        return
    await agenda.insert_item(
        session,
        await next_forum_meeting_id(session),
        title=f"Escalated issue: {event.summary}",
        kind=AgendaKind.escalation,
        escalation_id=event.escalation_id,
        respond_by=event.respond_by,
        overdue=False,
    )


async def add_overdue_escalation_to_agenda(session: AsyncSession, event: EscalationOverdue) -> None:
    """An overdue escalation is flagged where it already waits to be discussed; if it was
    discussed already (or never reached us), it goes on the next forum meeting again."""
    rows = (
        await session.execute(
            select(agenda_items.c.id, agenda_items.c.kind, meetings.c.status)
            .select_from(agenda_items.outerjoin(meetings, agenda_items.c.meeting_id == meetings.c.id))
            .where(agenda_items.c.escalation_id == event.escalation_id)
        )
    ).all()
    upcoming = [r for r in rows if r.status in (None, MeetingStatus.scheduled)]
    if upcoming:
        await session.execute(
            update(agenda_items)
            .where(agenda_items.c.id.in_([r.id for r in upcoming]))
            .values(overdue=True, respond_by=event.respond_by)
        )
        return
    if any(r.kind == AgendaKind.overdue_escalation for r in rows):
        return
    await agenda.insert_item(
        session,
        await next_forum_meeting_id(session),
        title=f"Overdue escalation: {event.summary} (a response was due by {domain.long_date(event.respond_by)})",
        kind=AgendaKind.overdue_escalation,
        escalation_id=event.escalation_id,
        respond_by=event.respond_by,
        overdue=True,
    )


async def take_resolved_escalation_off_the_agenda(session: AsyncSession, event: EscalationResolved) -> None:
    """A resolved escalation leaves the agendas of meetings still to come and the waiting list;
    the agendas of meetings already held keep it, as the record of what was discussed."""
    rows = (
        await session.execute(
            select(agenda_items.c.id, meetings.c.status)
            .select_from(agenda_items.outerjoin(meetings, agenda_items.c.meeting_id == meetings.c.id))
            .where(agenda_items.c.escalation_id == event.escalation_id, agenda_items.c.kind.in_(AUTOMATIC))
        )
    ).all()
    upcoming = [r.id for r in rows if r.status in (None, MeetingStatus.scheduled)]
    if upcoming:
        await session.execute(delete(agenda_items).where(agenda_items.c.id.in_(upcoming)))
