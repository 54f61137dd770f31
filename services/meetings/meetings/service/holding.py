"""Holding a meeting: attendance, minutes, and actions agreed and followed up."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events import ActionAgreed, ActionCompleted, MeetingHeld
from meetings import domain
from meetings.domain import MeetingStatus
from meetings.schemas import ActionCompletion, ActionCreate, MeetingHeldCreate, MinutesUpdate
from meetings.service import agenda
from meetings.service.common import now_or
from meetings.service.schedule import get_meeting, load_meeting
from meetings.store import actions, meeting_attendees, meetings


async def record_meeting_held(
    session: AsyncSession, meeting_id: str, data: MeetingHeldCreate, now: datetime | None = None
) -> dict:
    """Record that a meeting took place, who came, and what was agreed; membership hears of the
    attendance (member ids and a count of the public only) to record involvement."""
    now = now_or(now)
    meeting = await load_meeting(session, meeting_id, lock=True)
    if meeting.status == MeetingStatus.held:
        raise Conflict("This meeting has already been recorded as held.")
    if meeting.status == MeetingStatus.cancelled:
        raise Conflict("This meeting was cancelled, so it cannot be recorded as held.")
    if meeting.starts_at > now:
        raise Conflict("This meeting has not started yet; record it once it has taken place.")
    held_on = domain.local_day(meeting.starts_at)
    hours = data.hours or domain.hours_between(meeting.starts_at, meeting.ends_at)
    await agenda.keep_carried_actions(session, meeting)
    await session.execute(
        update(meetings)
        .where(meetings.c.id == meeting_id)
        .values(
            status=MeetingStatus.held,
            held_on=held_on,
            hours=hours,
            public_attendees=data.public_attendees,
            minutes=data.minutes,
            updated_at=now,
        )
    )
    if data.attendee_member_ids:
        await session.execute(
            meeting_attendees.insert(),
            [{"meeting_id": meeting_id, "member_id": m} for m in data.attendee_member_ids],
        )
    await outbox.record(
        session,
        MeetingHeld(
            meeting_id=meeting_id,
            held_on=held_on,
            hours=hours,
            attendee_member_ids=data.attendee_member_ids,
            public_attendees=data.public_attendees,
        ),
    )
    for action in data.actions:
        await _agree(session, meeting_id, action, now)
    return await get_meeting(session, meeting_id)


async def update_minutes(session: AsyncSession, meeting_id: str, data: MinutesUpdate, now: datetime | None = None) -> dict:
    meeting = await load_meeting(session, meeting_id, lock=True)
    if meeting.status != MeetingStatus.held:
        raise Conflict("Minutes are recorded once the meeting has been held.")
    await session.execute(
        update(meetings).where(meetings.c.id == meeting_id).values(minutes=data.minutes, updated_at=now_or(now))
    )
    return await get_meeting(session, meeting_id)


async def agree_action(session: AsyncSession, meeting_id: str, data: ActionCreate, now: datetime | None = None) -> dict:
    """Record an action the meeting agreed, with its owner and due date."""
    meeting = await load_meeting(session, meeting_id)
    if meeting.status != MeetingStatus.held:
        raise Conflict("Actions are agreed at a meeting: record the meeting as held first.")
    return await get_action(session, await _agree(session, meeting_id, data, now_or(now)))


async def _agree(session: AsyncSession, meeting_id: str, data: ActionCreate, now: datetime) -> str:
    action_id = str(uuid.uuid4())
    await session.execute(
        actions.insert().values(
            **data.model_dump(), id=action_id, meeting_id=meeting_id, status="open", agreed_at=now
        )
    )
    await outbox.record(
        session,
        ActionAgreed(
            action_id=action_id,
            meeting_id=meeting_id,
            description=data.description,
            owner_name=data.owner_name,
            due_on=data.due_on,
        ),
    )
    return action_id


async def complete_action(
    session: AsyncSession, action_id: str, data: ActionCompletion, now: datetime | None = None
) -> dict:
    """Mark an action done; it no longer carries forward to later meetings."""
    today = domain.local_day(now_or(now))
    action = await get_action(session, action_id)
    if action["status"] == "completed":
        raise Conflict(f"This action was already completed on {domain.long_date(action['completed_on'])}.")
    completed_on: date = data.completed_on or today
    if completed_on > today:
        raise Invalid("The completion date cannot be in the future.")
    await session.execute(
        update(actions).where(actions.c.id == action_id).values(status="completed", completed_on=completed_on)
    )
    await outbox.record(session, ActionCompleted(action_id=action_id, completed_on=completed_on))
    return await get_action(session, action_id)


async def get_action(session: AsyncSession, action_id: str) -> dict:
    row = (await session.execute(select(actions).where(actions.c.id == action_id))).first()
    if row is None:
        raise NotFound(f"There is no action with id {action_id}.")
    return dict(row._mapping)


async def list_actions(session: AsyncSession, status: str | None = None) -> list[dict]:
    """Actions, soonest due first (those without a due date last)."""
    query = select(actions).order_by(actions.c.due_on.is_(None), actions.c.due_on, actions.c.agreed_at)
    if status:
        query = query.where(actions.c.status == status)
    return [dict(r._mapping) for r in (await session.execute(query)).all()]
