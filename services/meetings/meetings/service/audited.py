"""Staff changes, each recorded in the audit log in the same transaction as the change itself.
The JSON API and the staff pages both call these, so the two never differ. Audit entries hold
ids only, never names, contact details or access needs."""

from __future__ import annotations

from forum_shared.db import Database
from forum_shared.audit import record_audit
from forum_shared.ui import Principal
from meetings.pop_up_schemas import PopUpForumCreate, PopUpForumHeldCreate
from meetings.schemas import (
    ActionCompletion,
    ActionCreate,
    AgendaItemCreate,
    AgendaItemUpdate,
    CancellationCreate,
    MeetingCreate,
    MeetingHeldCreate,
    MeetingReschedule,
    MeetingUpdate,
    MinutesUpdate,
    RegistrationCreate,
)
from meetings.service import agenda, holding, pop_ups, registration, schedule


# -- meetings --------------------------------------------------------------------------------
async def schedule_meeting(db: Database, user: Principal, data: MeetingCreate, areas: list[str]) -> dict:
    async with db.transaction() as session:
        meeting = await schedule.schedule_meeting(session, data, areas)
        await record_audit(session, user, "meeting.scheduled", f"meeting:{meeting['id']}")
        return meeting


async def update_meeting(db: Database, user: Principal, meeting_id: str, data: MeetingUpdate) -> dict:
    async with db.transaction() as session:
        meeting = await schedule.update_meeting(session, meeting_id, data)
        await record_audit(session, user, "meeting.updated", f"meeting:{meeting_id}")
        return meeting


async def reschedule_meeting(
    db: Database, user: Principal, meeting_id: str, data: MeetingReschedule, areas: list[str]
) -> dict:
    async with db.transaction() as session:
        meeting = await schedule.reschedule_meeting(session, meeting_id, data, areas)
        await record_audit(session, user, "meeting.rescheduled", f"meeting:{meeting_id}")
        return meeting


async def cancel_meeting(db: Database, user: Principal, meeting_id: str, data: CancellationCreate) -> dict:
    async with db.transaction() as session:
        meeting = await schedule.cancel_meeting(session, meeting_id, data)
        await record_audit(session, user, "meeting.cancelled", f"meeting:{meeting_id}")
        return meeting


async def record_meeting_held(db: Database, user: Principal, meeting_id: str, data: MeetingHeldCreate) -> dict:
    async with db.transaction() as session:
        meeting = await holding.record_meeting_held(session, meeting_id, data)
        await record_audit(session, user, "meeting.held", f"meeting:{meeting_id}")
        return meeting


async def update_minutes(db: Database, user: Principal, meeting_id: str, data: MinutesUpdate) -> dict:
    async with db.transaction() as session:
        meeting = await holding.update_minutes(session, meeting_id, data)
        await record_audit(session, user, "meeting.minutes_updated", f"meeting:{meeting_id}")
        return meeting


# -- actions ---------------------------------------------------------------------------------
async def agree_action(db: Database, user: Principal, meeting_id: str, data: ActionCreate) -> dict:
    async with db.transaction() as session:
        action = await holding.agree_action(session, meeting_id, data)
        await record_audit(session, user, "action.agreed", f"action:{action['id']}", {"meeting_id": meeting_id})
        return action


async def complete_action(db: Database, user: Principal, action_id: str, data: ActionCompletion) -> dict:
    async with db.transaction() as session:
        action = await holding.complete_action(session, action_id, data)
        await record_audit(session, user, "action.completed", f"action:{action_id}")
        return action


# -- agenda ----------------------------------------------------------------------------------
async def add_agenda_item(db: Database, user: Principal, meeting_id: str, data: AgendaItemCreate) -> dict:
    async with db.transaction() as session:
        item = await agenda.add_item(session, meeting_id, data)
        await record_audit(session, user, "agenda.item_added", f"meeting:{meeting_id}", {"item_id": item["id"]})
        return item


async def change_agenda_item(
    db: Database, user: Principal, meeting_id: str, item_id: str, data: AgendaItemUpdate
) -> dict:
    async with db.transaction() as session:
        item = await agenda.update_item(session, meeting_id, item_id, data)
        await record_audit(session, user, "agenda.item_changed", f"meeting:{meeting_id}", {"item_id": item_id})
        return item


async def remove_agenda_item(db: Database, user: Principal, meeting_id: str, item_id: str) -> None:
    async with db.transaction() as session:
        await agenda.remove_item(session, meeting_id, item_id)
        await record_audit(session, user, "agenda.item_removed", f"meeting:{meeting_id}", {"item_id": item_id})


# -- registrations ---------------------------------------------------------------------------
async def register_someone(db: Database, user: Principal, meeting_id: str, data: RegistrationCreate) -> dict:
    async with db.transaction() as session:
        place = await registration.register(session, meeting_id, data)
        await record_audit(session, user, "registration.added", f"meeting:{meeting_id}", {"registration_id": place["id"]})
        return place


async def cancel_registration(db: Database, user: Principal, meeting_id: str, registration_id: str) -> dict:
    async with db.transaction() as session:
        cancelled = await registration.cancel_registration(session, meeting_id, registration_id)
        await record_audit(
            session, user, "registration.cancelled", f"meeting:{meeting_id}", {"registration_id": registration_id}
        )
        return cancelled


# -- pop-up forums ---------------------------------------------------------------------------
async def plan_pop_up(db: Database, user: Principal, data: PopUpForumCreate, areas: list[str]) -> dict:
    async with db.transaction() as session:
        pop_up = await pop_ups.plan_pop_up(session, data, areas)
        await record_audit(session, user, "pop_up.planned", f"pop_up:{pop_up['id']}")
        return pop_up


async def record_pop_up_held(db: Database, user: Principal, pop_up_id: str, data: PopUpForumHeldCreate) -> dict:
    async with db.transaction() as session:
        pop_up = await pop_ups.record_pop_up_held(session, pop_up_id, data)
        await record_audit(session, user, "pop_up.held", f"pop_up:{pop_up_id}")
        return pop_up


async def cancel_pop_up(db: Database, user: Principal, pop_up_id: str, data: CancellationCreate) -> dict:
    async with db.transaction() as session:
        pop_up = await pop_ups.cancel_pop_up(session, pop_up_id, data)
        await record_audit(session, user, "pop_up.cancelled", f"pop_up:{pop_up_id}")
        return pop_up
