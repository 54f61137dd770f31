"""Holding a meeting: attendance, minutes, and actions agreed and followed up."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from forum_shared.db import Database
from forum_shared.errors import Conflict, Invalid
from forum_shared.events.meetings import ActionAgreed, ActionCompleted, MeetingHeld
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import Work, unit_of_work
from meetings import domain
from meetings.domain import ActionStatus, MeetingStatus
from meetings.records import Action, Meeting
from meetings.schemas.actions import ActionCompletion, ActionCreate
from meetings.schemas.meetings import MeetingHeldCreate, MinutesUpdate
from meetings.service import agenda
from meetings.service.meetings import meeting_in_full
from meetings.store import action as stored_actions
from meetings.store import meeting as stored


async def record_meeting_held(
    db: Database, actor: Principal | str, meeting_id: str, data: MeetingHeldCreate, now: datetime | None = None
) -> Meeting:
    """Record that a meeting took place, who came, and what was agreed; membership hears of the
    attendance (member ids and a count of the public only) to record involvement."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "meeting.held", f"meeting:{meeting_id}") as work:
        meeting = await stored.get_meeting(work.session, meeting_id, lock=True)
        if meeting.status == MeetingStatus.held:
            raise Conflict("This meeting has already been recorded as held.")
        if meeting.status == MeetingStatus.cancelled:
            raise Conflict("This meeting was cancelled, so it cannot be recorded as held.")
        if meeting.starts_at > now:
            raise Conflict("This meeting has not started yet; record it once it has taken place.")
        held_on = domain.local_day(meeting.starts_at)
        hours = data.hours or domain.hours_between(meeting.starts_at, meeting.ends_at)
        await agenda.keep_carried_actions(work.session, meeting, now)
        await stored.change_meeting(
            work.session,
            meeting_id,
            status=MeetingStatus.held,
            held_on=held_on,
            hours=hours,
            public_attendees=data.public_attendees,
            minutes=data.minutes,
            updated_at=now,
        )
        await stored.add_attendees(work.session, meeting_id, data.attendee_member_ids)
        await work.publish(
            MeetingHeld(
                meeting_id=meeting_id,
                held_on=held_on,
                hours=hours,
                attendee_member_ids=data.attendee_member_ids,
                public_attendees=data.public_attendees,
            )
        )
        for action in data.actions:
            await _agree(work, meeting_id, action, now)
        return await meeting_in_full(work.session, meeting_id, now)


async def update_minutes(
    db: Database, actor: Principal | str, meeting_id: str, data: MinutesUpdate, now: datetime | None = None
) -> Meeting:
    """Write or correct the minutes of a meeting that was held."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "meeting.minutes_updated", f"meeting:{meeting_id}") as work:
        meeting = await stored.get_meeting(work.session, meeting_id, lock=True)
        if meeting.status != MeetingStatus.held:
            raise Conflict("Minutes are recorded once the meeting has been held.")
        await stored.change_meeting(work.session, meeting_id, minutes=data.minutes, updated_at=now)
        return await meeting_in_full(work.session, meeting_id, now)


async def agree_action(
    db: Database, actor: Principal | str, meeting_id: str, data: ActionCreate, now: datetime | None = None
) -> Action:
    """Record an action the meeting agreed, with its owner and due date."""
    async with unit_of_work(db, actor, "action.agreed", details={"meeting_id": meeting_id}) as work:
        meeting = await stored.get_meeting(work.session, meeting_id)
        if meeting.status != MeetingStatus.held:
            raise Conflict("Actions are agreed at a meeting: record the meeting as held first.")
        action_id = await _agree(work, meeting_id, data, now or datetime.now(UTC))
        work.audit("action.agreed", f"action:{action_id}")
        return await stored_actions.get_action(work.session, action_id)


async def _agree(work: Work, meeting_id: str, data: ActionCreate, now: datetime) -> str:
    action_id = str(uuid.uuid4())
    await stored_actions.add_action(
        work.session,
        action_id=action_id,
        meeting_id=meeting_id,
        description=data.description,
        owner_name=data.owner_name,
        due_on=data.due_on,
        now=now,
    )
    await work.publish(
        ActionAgreed(
            action_id=action_id,
            meeting_id=meeting_id,
            description=data.description,
            owner_name=data.owner_name,
            due_on=data.due_on,
        )
    )
    return action_id


async def complete_action(
    db: Database, actor: Principal | str, action_id: str, data: ActionCompletion, now: datetime | None = None
) -> Action:
    """Mark an action done; it no longer carries forward to later meetings."""
    today = domain.local_day(now or datetime.now(UTC))
    async with unit_of_work(db, actor, "action.completed", f"action:{action_id}") as work:
        action = await stored_actions.get_action(work.session, action_id)
        if action.status == ActionStatus.completed:
            on = f" on {domain.long_date(action.completed_on)}" if action.completed_on else ""
            raise Conflict(f"This action was already completed{on}.")
        completed_on = data.completed_on or today
        if completed_on > today:
            raise Invalid("The completion date cannot be in the future.")
        await stored_actions.mark_completed(work.session, action_id, completed_on)
        await work.publish(ActionCompleted(action_id=action_id, completed_on=completed_on))
        return await stored_actions.get_action(work.session, action_id)


async def list_actions(db: Database, status: ActionStatus | None = None) -> list[Action]:
    """Actions, soonest due first (those without a due date last)."""
    async with db.read() as session:
        return await stored_actions.actions_by_due_date(session, status)
