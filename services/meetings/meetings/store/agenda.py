"""Agenda items: a meeting's items in order, items waiting for the next forum meeting, and where
each escalated issue sits."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from sqlalchemy import ColumnElement, Row, delete, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from meetings.domain import AgendaKind, MeetingStatus
from meetings.records import AgendaItem
from meetings.store.tables import agenda_items, meetings, resolved_escalations


class EscalationPlace(NamedTuple):
    """Where one escalated issue sits: an item, its kind, and the status of its meeting (None
    while it waits for a meeting)."""

    item_id: str
    kind: AgendaKind
    meeting_status: MeetingStatus | None

    @property
    def still_to_discuss(self) -> bool:
        return self.meeting_status in (None, MeetingStatus.scheduled)


def _on(meeting_id: str | None) -> ColumnElement[bool]:
    return agenda_items.c.meeting_id.is_(None) if meeting_id is None else agenda_items.c.meeting_id == meeting_id


async def next_position(session: AsyncSession, meeting_id: str | None) -> int:
    highest = await session.scalar(select(func.max(agenda_items.c.position)).where(_on(meeting_id)))
    return 0 if highest is None else highest + 1


async def add_item(
    session: AsyncSession,
    meeting_id: str | None,
    *,
    title: str,
    kind: AgendaKind,
    now: datetime,
    escalation_id: str | None = None,
    action_id: str | None = None,
    respond_by: date | None = None,
    overdue: bool = False,
    presenter: str | None = None,
    duration_minutes: int | None = None,
) -> str:
    """Add an item at the end of a meeting's agenda (or of the waiting items); returns its id."""
    item_id = str(uuid.uuid4())
    await session.execute(
        agenda_items.insert().values(
            id=item_id,
            meeting_id=meeting_id,
            position=await next_position(session, meeting_id),
            title=title,
            kind=kind,
            escalation_id=escalation_id,
            action_id=action_id,
            respond_by=respond_by,
            overdue=overdue,
            presenter=presenter,
            duration_minutes=duration_minutes,
            added_at=now,
        )
    )
    return item_id


async def find_item(session: AsyncSession, meeting_id: str, item_id: str) -> AgendaItem | None:
    query = select(agenda_items).where(agenda_items.c.id == item_id, agenda_items.c.meeting_id == meeting_id)
    row = (await session.execute(query)).first()
    return None if row is None else _record(row)


async def change_item(session: AsyncSession, item_id: str, **values: Any) -> None:
    if values:
        await session.execute(update(agenda_items).where(agenda_items.c.id == item_id).values(**values))


async def remove_item(session: AsyncSession, item_id: str) -> None:
    await session.execute(delete(agenda_items).where(agenda_items.c.id == item_id))


async def items_of(session: AsyncSession, meeting_id: str | None) -> list[AgendaItem]:
    """A meeting's stored items in order, or (None) the items waiting for a meeting in the order
    they arrived."""
    order = (agenda_items.c.added_at,) if meeting_id is None else (agenda_items.c.position, agenda_items.c.added_at)
    query = select(agenda_items).where(_on(meeting_id)).order_by(*order)
    return [_record(r) for r in (await session.execute(query)).all()]


async def put_in_order(session: AsyncSession, item_ids: Sequence[str]) -> None:
    for index, item_id in enumerate(item_ids):
        await session.execute(update(agenda_items).where(agenda_items.c.id == item_id).values(position=index))


async def move_items(session: AsyncSession, item_ids: Iterable[str], meeting_id: str | None) -> None:
    """Items go to the end of a meeting's agenda (or of the waiting items), keeping their order."""
    for item_id in item_ids:
        position = await next_position(session, meeting_id)
        await session.execute(
            update(agenda_items).where(agenda_items.c.id == item_id).values(meeting_id=meeting_id, position=position)
        )


async def escalation_places(session: AsyncSession, escalation_id: str) -> list[EscalationPlace]:
    rows = await session.execute(
        select(agenda_items.c.id, agenda_items.c.kind, meetings.c.status)
        .select_from(agenda_items.outerjoin(meetings, agenda_items.c.meeting_id == meetings.c.id))
        .where(agenda_items.c.escalation_id == escalation_id)
    )
    return [
        EscalationPlace(r.id, AgendaKind(r.kind), None if r.status is None else MeetingStatus(r.status))
        for r in rows.all()
    ]


async def flag_overdue(session: AsyncSession, item_ids: Sequence[str], respond_by: date) -> None:
    await session.execute(
        update(agenda_items).where(agenda_items.c.id.in_(item_ids)).values(overdue=True, respond_by=respond_by)
    )


async def remove_items(session: AsyncSession, item_ids: Sequence[str]) -> None:
    if item_ids:
        await session.execute(delete(agenda_items).where(agenda_items.c.id.in_(item_ids)))


def _record(row: Row[Any]) -> AgendaItem:
    return AgendaItem(
        id=row.id,
        meeting_id=row.meeting_id,
        title=row.title,
        kind=AgendaKind(row.kind),
        escalation_id=row.escalation_id,
        action_id=row.action_id,
        respond_by=row.respond_by,
        overdue=row.overdue,
        presenter=row.presenter,
        duration_minutes=row.duration_minutes,
    )


async def remember_resolution(session: AsyncSession, escalation_id: str, resolved_at: datetime) -> None:
    if not await is_resolved(session, escalation_id):
        await session.execute(insert(resolved_escalations).values(escalation_id=escalation_id, resolved_at=resolved_at))


async def is_resolved(session: AsyncSession, escalation_id: str) -> bool:
    query = select(resolved_escalations.c.escalation_id).where(resolved_escalations.c.escalation_id == escalation_id)
    return (await session.execute(query)).first() is not None
