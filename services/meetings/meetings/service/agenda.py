"""The agenda: items with presenter and duration, and actions overdue from earlier meetings
carried forward (escalated issues are added by `escalations`).

Carried-forward actions are worked out when the agenda is read, so an action completed today
drops off at once; when the meeting is held they are written down with it.
"""

from __future__ import annotations

import uuid

from sqlalchemy import func, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Conflict, NotFound
from meetings import domain
from meetings.domain import AgendaKind, MeetingStatus
from meetings.schemas import AgendaItemCreate, AgendaItemUpdate
from meetings.service.common import now_or
from meetings.store import actions, agenda_items, meetings


async def next_position(session: AsyncSession, meeting_id: str | None) -> int:
    where = agenda_items.c.meeting_id.is_(None) if meeting_id is None else agenda_items.c.meeting_id == meeting_id
    highest = await session.scalar(select(func.max(agenda_items.c.position)).where(where))
    return 0 if highest is None else highest + 1


async def insert_item(session: AsyncSession, meeting_id: str | None, **values) -> str:
    item_id = str(uuid.uuid4())
    await session.execute(
        agenda_items.insert().values(
            id=item_id,
            meeting_id=meeting_id,
            position=await next_position(session, meeting_id),
            added_at=now_or(None),
            **values,
        )
    )
    return item_id


async def _open_meeting(session: AsyncSession, meeting_id: str):
    row = (await session.execute(select(meetings).where(meetings.c.id == meeting_id))).first()
    if row is None:
        raise NotFound(f"There is no meeting with id {meeting_id}.")
    if row.status != MeetingStatus.scheduled:
        raise Conflict(f"This meeting is {row.status}: its agenda can no longer change.")
    return row


async def add_item(session: AsyncSession, meeting_id: str, data: AgendaItemCreate) -> dict:
    await _open_meeting(session, meeting_id)
    item_id = await insert_item(session, meeting_id, kind=AgendaKind.item, overdue=False, **data.model_dump())
    return await _item(session, meeting_id, item_id)


async def update_item(session: AsyncSession, meeting_id: str, item_id: str, data: AgendaItemUpdate) -> dict:
    await _open_meeting(session, meeting_id)
    await _item(session, meeting_id, item_id)
    changes = data.model_dump(exclude_unset=True)
    position = changes.pop("position", None)
    if "title" in changes and changes["title"] is None:
        del changes["title"]
    if changes:
        await session.execute(update(agenda_items).where(agenda_items.c.id == item_id).values(**changes))
    if position is not None:
        await _reorder(session, meeting_id, item_id, position)
    return await _item(session, meeting_id, item_id)


async def remove_item(session: AsyncSession, meeting_id: str, item_id: str) -> None:
    await _open_meeting(session, meeting_id)
    item = await _item(session, meeting_id, item_id)
    if item["kind"] != AgendaKind.item:
        raise Conflict(
            "Escalated issues stay on the agenda until the meeting is held: governors follow them to a response."
        )
    await session.execute(agenda_items.delete().where(agenda_items.c.id == item_id))


async def _reorder(session: AsyncSession, meeting_id: str, item_id: str, position: int) -> None:
    ids = [
        r.id
        for r in (
            await session.execute(
                select(agenda_items.c.id)
                .where(agenda_items.c.meeting_id == meeting_id)
                .order_by(agenda_items.c.position, agenda_items.c.added_at)
            )
        ).all()
    ]
    ids.remove(item_id)
    ids.insert(min(position, len(ids)), item_id)
    for index, each in enumerate(ids):
        await session.execute(update(agenda_items).where(agenda_items.c.id == each).values(position=index))


async def _item(session: AsyncSession, meeting_id: str, item_id: str) -> dict:
    row = (
        await session.execute(
            select(agenda_items).where(agenda_items.c.id == item_id, agenda_items.c.meeting_id == meeting_id)
        )
    ).first()
    if row is None:
        raise NotFound(f"This meeting's agenda has no item with id {item_id}.")
    return dict(row._mapping)


async def agenda_of(session: AsyncSession, meeting) -> list[dict]:
    """Stored items in order, then (while the meeting is to come) actions carried forward."""
    items = [
        dict(r._mapping)
        for r in (
            await session.execute(
                select(agenda_items)
                .where(agenda_items.c.meeting_id == meeting.id)
                .order_by(agenda_items.c.position, agenda_items.c.added_at)
            )
        ).all()
    ]
    if meeting.status == MeetingStatus.scheduled:
        items += await carried_actions(session, meeting)
    return items


async def carried_actions(session: AsyncSession, meeting) -> list[dict]:
    """Open actions from earlier meetings that are overdue by this meeting's day."""
    day = domain.local_day(meeting.starts_at)
    rows = (
        await session.execute(
            select(actions, meetings.c.starts_at.label("agreed_meeting_starts_at"))
            .join(meetings, actions.c.meeting_id == meetings.c.id)
            .where(actions.c.status == "open", actions.c.meeting_id != meeting.id, meetings.c.starts_at < meeting.starts_at)
            .order_by(actions.c.due_on, meetings.c.starts_at)
        )
    ).all()
    return [
        {
            "id": f"action-{r.id}",
            "title": (
                f"Overdue action from {domain.long_date(domain.local_day(r.agreed_meeting_starts_at))}: "
                f"{r.description} ({r.owner_name}, due {domain.long_date(r.due_on)})"
            ),
            "kind": AgendaKind.carried_action,
            "escalation_id": None,
            "action_id": r.id,
            "respond_by": None,
            "overdue": True,
            "presenter": r.owner_name,
            "duration_minutes": None,
        }
        for r in rows
        if domain.overdue_at(r.due_on, day)
    ]


async def keep_carried_actions(session: AsyncSession, meeting) -> None:
    """When a meeting is held, the actions carried forward to it are written into its agenda."""
    for item in await carried_actions(session, meeting):
        await insert_item(
            session,
            meeting.id,
            title=item["title"],
            kind=AgendaKind.carried_action,
            action_id=item["action_id"],
            presenter=item["presenter"],
            overdue=True,
        )


async def waiting_agenda_items(session: AsyncSession) -> list[dict]:
    rows = (
        await session.execute(
            select(agenda_items).where(agenda_items.c.meeting_id.is_(None)).order_by(agenda_items.c.added_at)
        )
    ).all()
    return [dict(r._mapping) for r in rows]
