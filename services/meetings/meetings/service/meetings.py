"""Reading forum meetings: one in full (agenda, attendance, actions), lists in date order, and the
calendar's; each as the viewer may see it."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.identity.principal import Principal
from meetings import domain
from meetings.domain import MeetingStatus
from meetings.records import Meeting
from meetings.service import agenda
from meetings.service.viewers import is_staff
from meetings.store import action as stored_actions
from meetings.store import meeting as stored


async def meeting_in_full(session: AsyncSession, meeting_id: str, now: datetime | None = None) -> Meeting:
    """One meeting with its agenda (as of today, London), attendance and actions."""
    meeting = await stored.get_meeting(session, meeting_id)
    return dataclasses.replace(
        meeting,
        agenda=await agenda.agenda_of(session, meeting, domain.local_day(now or datetime.now(UTC))),
        attendee_member_ids=await stored.attendees_of(session, meeting_id),
        actions=await stored_actions.actions_of(session, meeting_id),
    )


def seen_by(viewer: Principal | None, meeting: Meeting) -> Meeting:
    """What anyone may see of a public meeting is all but which members attended; a meeting not
    open to the public is for staff only."""
    if is_staff(viewer):
        return meeting
    if not meeting.public:
        raise NotFound(f"There is no public meeting {meeting.id}.")
    return dataclasses.replace(meeting, attendee_member_ids=())


async def get_meeting(db: Database, meeting_id: str, viewer: Principal | None = None) -> Meeting:
    """One meeting in full, as the viewer may see it (None: a member of the public)."""
    async with db.read() as session:
        meeting = await meeting_in_full(session, meeting_id)
    return seen_by(viewer, meeting)


async def list_meetings(
    db: Database, viewer: Principal | None = None, status: MeetingStatus | None = None
) -> list[Meeting]:
    """Meetings in date order (without their agendas): public ones for everyone, all for staff."""
    async with db.read() as session:
        meetings = await stored.meetings_in_order(session, status, public_only=not is_staff(viewer))
    return [seen_by(viewer, m) for m in meetings]


async def calendar_meetings(
    db: Database, viewer: Principal | None = None, meeting_id: str | None = None
) -> list[Meeting]:
    """Public meetings for the calendar feed (cancelled ones too, shown as cancelled), or one
    meeting (one not open to the public for staff only, who send it to the people invited)."""
    async with db.read() as session:
        if meeting_id is None:
            return await stored.meetings_in_order(session, public_only=True)
        meeting = await stored.get_meeting(session, meeting_id)
    return [seen_by(viewer, meeting)]
