"""NATS subscribers of the feedback service (thin: event → use case)."""

from sqlalchemy.ext.asyncio import AsyncSession

from feedback.service import reactions
from forum_shared.consumers import Consumers
from forum_shared.events.base import Envelope
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.membership import MemberErased
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn

consumers = Consumers("feedback")


@consumers.on(PopUpForumHeld)
async def link_pop_up_forum(session: AsyncSession, event: PopUpForumHeld, envelope: Envelope) -> None:
    """Feedback heard at a pop-up forum is linked to the community group that hosted it."""
    await reactions.note_pop_up_forum(session, event)


@consumers.on(CommunityGroupRegistered)
async def add_community_group(session: AsyncSession, event: CommunityGroupRegistered, envelope: Envelope) -> None:
    """Know a community group's public name, to trace its feedback in public."""
    await reactions.note_community_group(session, event, envelope.time)


@consumers.on(CommunityGroupUpdated)
async def update_community_group(session: AsyncSession, event: CommunityGroupUpdated, envelope: Envelope) -> None:
    """Keep a community group's public name and areas up to date."""
    await reactions.note_community_group(session, event, envelope.time)


@consumers.on(CommunityGroupWithdrawn)
async def withdraw_community_group(session: AsyncSession, event: CommunityGroupWithdrawn, envelope: Envelope) -> None:
    """A group that left the directory is no longer named in public."""
    await reactions.note_withdrawal(session, event, envelope.time)


@consumers.on(MemberErased)
async def forget_member(session: AsyncSession, event: MemberErased, envelope: Envelope) -> None:
    """An erased member's identity and contact details leave their feedback; the words stay."""
    await reactions.forget_member(session, event)
