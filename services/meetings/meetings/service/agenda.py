"""The agenda: items with presenter and duration, and actions overdue from earlier meetings
carried forward (escalated issues are added by `escalations`).

Carried-forward actions are worked out when the agenda is read, so an action completed today
drops off at once and one that falls due shows up by itself; when the meeting is held they are
written down with it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from meetings import domain
from meetings.domain import AgendaKind, MeetingStatus
from meetings.records import AgendaItem, Meeting
from meetings.schemas.agenda import AgendaItemCreate, AgendaItemUpdate
from meetings.store import action as stored_actions
from meetings.store import agenda as stored
from meetings.store.meeting import get_meeting


async def _open_meeting(session: AsyncSession, meeting_id: str) -> Meeting:
    meeting = await get_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.scheduled:
        raise Conflict(f"This meeting is {meeting.status}: its agenda can no longer change.")
    return meeting


async def _item(session: AsyncSession, meeting_id: str, item_id: str) -> AgendaItem:
    item = await stored.find_item(session, meeting_id, item_id)
    if item is None:
        raise NotFound(f"This meeting's agenda has no item with id {item_id}.")
    return item


async def add_item(
    db: Database, actor: Principal | str, meeting_id: str, data: AgendaItemCreate, now: datetime | None = None
) -> AgendaItem:
    """Add an item, with presenter and duration, to the end of a scheduled meeting's agenda."""
    async with unit_of_work(db, actor, "agenda.item_added", f"meeting:{meeting_id}") as work:
        await _open_meeting(work.session, meeting_id)
        item_id = await stored.add_item(
            work.session, meeting_id, kind=AgendaKind.item, now=now or datetime.now(UTC), **data.model_dump()
        )
        work.audit("agenda.item_added", item_id=item_id)
        return await _item(work.session, meeting_id, item_id)


async def change_item(
    db: Database, actor: Principal | str, meeting_id: str, item_id: str, data: AgendaItemUpdate
) -> AgendaItem:
    """Change an item's words, presenter or length, or move it to another place on the agenda."""
    async with unit_of_work(db, actor, "agenda.item_changed", f"meeting:{meeting_id}", {"item_id": item_id}) as work:
        await _open_meeting(work.session, meeting_id)
        await _item(work.session, meeting_id, item_id)
        changes = data.model_dump(exclude_unset=True)
        position = changes.pop("position", None)
        if "title" in changes and changes["title"] is None:  # an item always keeps a title
            del changes["title"]
        await stored.change_item(work.session, item_id, **changes)
        if position is not None:
            ids = [i.id for i in await stored.items_of(work.session, meeting_id)]
            ids.remove(item_id)
            ids.insert(min(position, len(ids)), item_id)
            await stored.put_in_order(work.session, ids)
        return await _item(work.session, meeting_id, item_id)


async def remove_item(db: Database, actor: Principal | str, meeting_id: str, item_id: str) -> None:
    """Take an item off the agenda; escalated issues stay until the meeting is held."""
    async with unit_of_work(db, actor, "agenda.item_removed", f"meeting:{meeting_id}", {"item_id": item_id}) as work:
        await _open_meeting(work.session, meeting_id)
        item = await _item(work.session, meeting_id, item_id)
        if item.kind != AgendaKind.item:
            raise Conflict(
                "Escalated issues stay on the agenda until the meeting is held: governors follow them to a response."
            )
        await stored.remove_item(work.session, item_id)


async def agenda_of(session: AsyncSession, meeting: Meeting, today: date) -> tuple[AgendaItem, ...]:
    """Stored items in order, then (while the meeting is to come) actions carried forward."""
    items = await stored.items_of(session, meeting.id)
    if meeting.status == MeetingStatus.scheduled:
        items += await carried_actions(session, meeting, today)
    return tuple(items)


async def carried_actions(session: AsyncSession, meeting: Meeting, today: date) -> list[AgendaItem]:
    """Open actions from earlier meetings that are overdue both by this meeting's day and today."""
    day = domain.local_day(meeting.starts_at)
    return [
        AgendaItem(
            id=f"action-{action.id}",
            meeting_id=meeting.id,
            title=(
                f"Overdue action from {domain.long_date(domain.local_day(agreed_at))}: "
                f"{action.description} ({action.owner_name}, due {domain.long_date(action.due_on)})"
            ),
            kind=AgendaKind.carried_action,
            action_id=action.id,
            overdue=True,
            presenter=action.owner_name,
            stored=False,
        )
        for action, agreed_at in await stored_actions.open_actions_from_meetings_before(
            session, meeting.id, meeting.starts_at
        )
        if action.due_on is not None and domain.carried_forward(action.due_on, day, today)
    ]


async def keep_carried_actions(session: AsyncSession, meeting: Meeting, now: datetime) -> None:
    """When a meeting is held, the actions carried forward to it are written into its agenda."""
    for item in await carried_actions(session, meeting, domain.local_day(now)):
        await stored.add_item(
            session,
            meeting.id,
            title=item.title,
            kind=AgendaKind.carried_action,
            action_id=item.action_id,
            presenter=item.presenter,
            overdue=True,
            now=now,
        )


async def waiting_items(db: Database) -> list[AgendaItem]:
    """Items (such as escalations) waiting for the next forum meeting to be scheduled."""
    async with db.read() as session:
        return await stored.items_of(session, None)
