"""Actions agreed at meetings: recording them, completing them, and those still open from earlier
meetings."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Row, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import NotFound
from meetings.domain import ActionStatus
from meetings.records import Action
from meetings.store.tables import actions, meetings


async def add_action(
    session: AsyncSession,
    *,
    action_id: str,
    meeting_id: str,
    description: str,
    owner_name: str,
    due_on: date | None,
    now: datetime,
) -> None:
    await session.execute(
        actions.insert().values(
            id=action_id,
            meeting_id=meeting_id,
            description=description,
            owner_name=owner_name,
            due_on=due_on,
            status=ActionStatus.open,
            agreed_at=now,
        )
    )


async def get_action(session: AsyncSession, action_id: str) -> Action:
    row = (await session.execute(select(actions).where(actions.c.id == action_id))).first()
    if row is None:
        raise NotFound(f"There is no action with id {action_id}.")
    return _record(row)


async def mark_completed(session: AsyncSession, action_id: str, completed_on: date) -> None:
    await session.execute(
        update(actions)
        .where(actions.c.id == action_id)
        .values(status=ActionStatus.completed, completed_on=completed_on)
    )


async def actions_of(session: AsyncSession, meeting_id: str) -> tuple[Action, ...]:
    query = select(actions).where(actions.c.meeting_id == meeting_id).order_by(actions.c.agreed_at)
    return tuple(_record(r) for r in (await session.execute(query)).all())


async def actions_by_due_date(session: AsyncSession, status: ActionStatus | None = None) -> list[Action]:
    """Actions, soonest due first (those without a due date last)."""
    query = select(actions).order_by(actions.c.due_on.is_(None), actions.c.due_on, actions.c.agreed_at)
    if status:
        query = query.where(actions.c.status == status)
    return [_record(r) for r in (await session.execute(query)).all()]


async def open_actions_from_meetings_before(
    session: AsyncSession, meeting_id: str, starts_at: datetime
) -> list[tuple[Action, datetime]]:
    """Open actions agreed at meetings that started before `starts_at` (other than this one),
    soonest due first, each with the start of the meeting that agreed it."""
    rows = await session.execute(
        select(actions, meetings.c.starts_at.label("agreed_meeting_starts_at"))
        .join(meetings, actions.c.meeting_id == meetings.c.id)
        .where(
            actions.c.status == ActionStatus.open,
            actions.c.meeting_id != meeting_id,
            meetings.c.starts_at < starts_at,
        )
        .order_by(actions.c.due_on, meetings.c.starts_at)
    )
    return [(_record(r), r.agreed_meeting_starts_at) for r in rows.all()]


def _record(row: Row[Any]) -> Action:
    return Action(
        id=row.id,
        meeting_id=row.meeting_id,
        description=row.description,
        owner_name=row.owner_name,
        due_on=row.due_on,
        status=ActionStatus(row.status),
        agreed_at=row.agreed_at,
        completed_on=row.completed_on,
    )
