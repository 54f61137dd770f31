"""Forum meetings: schedule, reschedule, change, cancel, hold; actions agreed and completed."""

from fastapi import APIRouter

from forum_shared.ui import MaybeSignedIn, StaffUser
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import ActionStatus, MeetingStatus
from meetings.schemas.actions import ActionCompletion, ActionCreate, ActionPublic
from meetings.schemas.meetings import (
    CancellationCreate,
    MeetingCreate,
    MeetingHeldCreate,
    MeetingPublic,
    MeetingReschedule,
    MeetingUpdate,
    MinutesUpdate,
)
from meetings.service import holding, meetings, schedule

router = APIRouter(tags=["meetings"])


@router.post("/meetings", response_model=MeetingPublic, status_code=201)
async def schedule_meeting(data: MeetingCreate, db: DbDep, settings: SettingsDep, user: StaffUser) -> MeetingPublic:
    """Schedule a forum meeting (with a suggested area and any warnings)."""
    return MeetingPublic.of(await schedule.schedule_meeting(db, user, data, settings.areas))


@router.get("/meetings", response_model=list[MeetingPublic])
async def list_meetings(db: DbDep, user: MaybeSignedIn, status: MeetingStatus | None = None) -> list[MeetingPublic]:
    """Forum meetings in date order: public ones for everyone, all of them for staff."""
    return [MeetingPublic.of(m) for m in await meetings.list_meetings(db, user, status)]


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
async def get_meeting(meeting_id: str, db: DbDep, user: MaybeSignedIn) -> MeetingPublic:
    """One meeting with its agenda, attendance and actions (staff only, for a meeting not open to
    the public; which members attended is shown to staff only)."""
    return MeetingPublic.of(await meetings.get_meeting(db, meeting_id, user))


@router.patch("/meetings/{meeting_id}", response_model=MeetingPublic)
async def update_meeting(
    meeting_id: str, data: MeetingUpdate, db: DbDep, settings: SettingsDep, user: StaffUser
) -> MeetingPublic:
    """Change a meeting's title, number of places or access support."""
    return MeetingPublic.of(
        await schedule.update_meeting(db, user, meeting_id, data, organizer=settings.mail_from)
    )


@router.post("/meetings/{meeting_id}/reschedule", response_model=MeetingPublic)
async def reschedule_meeting(
    meeting_id: str, data: MeetingReschedule, db: DbDep, settings: SettingsDep, user: StaffUser
) -> MeetingPublic:
    """Move a meeting to another time or place; everyone registered or waiting is told by email."""
    return MeetingPublic.of(
        await schedule.reschedule_meeting(db, user, meeting_id, data, settings.areas, organizer=settings.mail_from)
    )


@router.post("/meetings/{meeting_id}/cancel", response_model=MeetingPublic)
async def cancel_meeting(
    meeting_id: str, data: CancellationCreate, db: DbDep, settings: SettingsDep, user: StaffUser
) -> MeetingPublic:
    """Cancel a meeting; its escalated issues move to the next one, and everyone registered or
    waiting is told by email (with the reason, if given)."""
    return MeetingPublic.of(
        await schedule.cancel_meeting(db, user, meeting_id, data, organizer=settings.mail_from)
    )


@router.post("/meetings/{meeting_id}/held", response_model=MeetingPublic)
async def record_meeting_held(meeting_id: str, data: MeetingHeldCreate, db: DbDep, user: StaffUser) -> MeetingPublic:
    """Record that a meeting took place: attendance, minutes and actions agreed."""
    return MeetingPublic.of(await holding.record_meeting_held(db, user, meeting_id, data))


@router.put("/meetings/{meeting_id}/minutes", response_model=MeetingPublic)
async def update_minutes(meeting_id: str, data: MinutesUpdate, db: DbDep, user: StaffUser) -> MeetingPublic:
    """Write or correct the minutes of a meeting that was held."""
    return MeetingPublic.of(await holding.update_minutes(db, user, meeting_id, data))


@router.post("/meetings/{meeting_id}/actions", response_model=ActionPublic, status_code=201)
async def agree_action(meeting_id: str, data: ActionCreate, db: DbDep, user: StaffUser) -> ActionPublic:
    """Record an action a held meeting agreed."""
    return ActionPublic.model_validate(await holding.agree_action(db, user, meeting_id, data))


@router.get("/actions", response_model=list[ActionPublic])
async def list_actions(db: DbDep, user: StaffUser, status: ActionStatus | None = None) -> list[ActionPublic]:
    """Actions agreed at meetings, soonest due first (status: open or completed)."""
    return [ActionPublic.model_validate(a) for a in await holding.list_actions(db, status)]


@router.post("/actions/{action_id}/complete", response_model=ActionPublic)
async def complete_action(action_id: str, data: ActionCompletion, db: DbDep, user: StaffUser) -> ActionPublic:
    """Mark an action as done."""
    return ActionPublic.model_validate(await holding.complete_action(db, user, action_id, data))
