"""Forum meetings: schedule, reschedule, change, cancel, hold; actions agreed and completed."""

from fastapi import APIRouter

from forum_shared.errors import NotFound
from forum_shared.ui import MaybeSignedIn, Principal, StaffUser
from forum_shared.web import DbDep
from meetings.deps import SettingsDep
from meetings.domain import MeetingStatus
from meetings.schemas import (
    ActionCompletion,
    ActionCreate,
    ActionPublic,
    CancellationCreate,
    MeetingCreate,
    MeetingHeldCreate,
    MeetingPublic,
    MeetingReschedule,
    MeetingUpdate,
    MinutesUpdate,
)
from meetings.service import audited, holding, schedule

router = APIRouter(tags=["meetings"])


@router.post("/meetings", response_model=MeetingPublic, status_code=201)
async def schedule_meeting(data: MeetingCreate, db: DbDep, settings: SettingsDep, user: StaffUser) -> dict:
    """Schedule a forum meeting (with a suggested area and any warnings)."""
    return await audited.schedule_meeting(db, user, data, settings.areas)


def _for_the_public(meeting: dict) -> dict:
    """What anyone may see of a public meeting: not which members attended."""
    return {**meeting, "attendee_member_ids": []}


def is_staff(user: Principal | None) -> bool:
    return user is not None and user.has_role("staff", "admin")


@router.get("/meetings", response_model=list[MeetingPublic])
async def list_meetings(db: DbDep, user: MaybeSignedIn, status: MeetingStatus | None = None) -> list[dict]:
    """Forum meetings in date order: public ones for everyone, all of them for staff."""
    async with db.read() as session:
        meetings = await schedule.list_meetings(session, status)
    if is_staff(user):
        return meetings
    return [_for_the_public(m) for m in meetings if m["public"]]


@router.get("/meetings/{meeting_id}", response_model=MeetingPublic)
async def get_meeting(meeting_id: str, db: DbDep, user: MaybeSignedIn) -> dict:
    """One meeting with its agenda, attendance and actions (staff only, for a meeting not open to
    the public; which members attended is shown to staff only)."""
    async with db.read() as session:
        meeting = await schedule.get_meeting(session, meeting_id)
    if is_staff(user):
        return meeting
    if not meeting["public"]:
        raise NotFound(f"There is no public meeting {meeting_id}.")
    return _for_the_public(meeting)


@router.patch("/meetings/{meeting_id}", response_model=MeetingPublic)
async def update_meeting(meeting_id: str, data: MeetingUpdate, db: DbDep, user: StaffUser) -> dict:
    """Change a meeting's title, number of places or access support."""
    return await audited.update_meeting(db, user, meeting_id, data)


@router.post("/meetings/{meeting_id}/reschedule", response_model=MeetingPublic)
async def reschedule_meeting(
    meeting_id: str, data: MeetingReschedule, db: DbDep, settings: SettingsDep, user: StaffUser
) -> dict:
    """Move a meeting to another time or place."""
    return await audited.reschedule_meeting(db, user, meeting_id, data, settings.areas)


@router.post("/meetings/{meeting_id}/cancel", response_model=MeetingPublic)
async def cancel_meeting(meeting_id: str, data: CancellationCreate, db: DbDep, user: StaffUser) -> dict:
    """Cancel a meeting; its escalated issues move to the next one."""
    return await audited.cancel_meeting(db, user, meeting_id, data)


@router.post("/meetings/{meeting_id}/held", response_model=MeetingPublic)
async def record_meeting_held(meeting_id: str, data: MeetingHeldCreate, db: DbDep, user: StaffUser) -> dict:
    """Record that a meeting took place: attendance, minutes and actions agreed."""
    return await audited.record_meeting_held(db, user, meeting_id, data)


@router.put("/meetings/{meeting_id}/minutes", response_model=MeetingPublic)
async def update_minutes(meeting_id: str, data: MinutesUpdate, db: DbDep, user: StaffUser) -> dict:
    """Write or correct the minutes of a meeting that was held."""
    return await audited.update_minutes(db, user, meeting_id, data)


@router.post("/meetings/{meeting_id}/actions", response_model=ActionPublic, status_code=201)
async def agree_action(meeting_id: str, data: ActionCreate, db: DbDep, user: StaffUser) -> dict:
    """Record an action a held meeting agreed."""
    return await audited.agree_action(db, user, meeting_id, data)


@router.get("/actions", response_model=list[ActionPublic])
async def list_actions(db: DbDep, user: StaffUser, status: str | None = None) -> list[dict]:
    """Actions agreed at meetings, soonest due first (status: open or completed)."""
    async with db.read() as session:
        return await holding.list_actions(session, status)


@router.post("/actions/{action_id}/complete", response_model=ActionPublic)
async def complete_action(action_id: str, data: ActionCompletion, db: DbDep, user: StaffUser) -> dict:
    """Mark an action as done."""
    return await audited.complete_action(db, user, action_id, data)
