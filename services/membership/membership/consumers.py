"""NATS subscribers of the membership service (thin: event → use case)."""

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.consumers import Consumers
from forum_shared.events.base import Envelope
from forum_shared.events.meetings import MeetingHeld, PopUpForumHeld
from membership.service import involvement

consumers = Consumers("membership")


@consumers.on(MeetingHeld)
async def record_meeting_attendance(session: AsyncSession, event: MeetingHeld, envelope: Envelope) -> None:
    """Members who attended a forum meeting are credited with its hours in their involvement record."""
    await involvement.record_meeting_attendance(session, event, envelope.id)


@consumers.on(PopUpForumHeld)
async def record_pop_up_facilitation(session: AsyncSession, event: PopUpForumHeld, envelope: Envelope) -> None:
    """Members who facilitated a pop-up forum are credited with its hours in their involvement record."""
    await involvement.record_pop_up_facilitation(session, event, envelope.id)
