"""NATS subscribers of the signposting service (thin: event → use case)."""

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.consumers import Consumers
from forum_shared.events.base import Envelope
from forum_shared.events.meetings import PopUpForumHeld
from signposting.service import community_groups

consumers = Consumers("signposting")


@consumers.on(PopUpForumHeld)
async def pop_up_forum_held(session: AsyncSession, event: PopUpForumHeld, envelope: Envelope) -> None:
    """Remember when the forum last held a pop-up forum with a community group."""
    await community_groups.record_pop_up_visit(session, event)
