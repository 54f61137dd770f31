"""NATS subscribers of the feedback service (thin: event → use case)."""

from feedback import reactions
from feedback.store import community_groups
from forum_shared.community_groups import record_group, record_withdrawal
from forum_shared.consumers import Consumers
from forum_shared.events import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
    MemberErased,
    PopUpForumHeld,
)

consumers = Consumers("feedback")


@consumers.on(PopUpForumHeld)
async def link_pop_up_forum(session, event: PopUpForumHeld, envelope) -> None:
    """Feedback heard at a pop-up forum is linked to the community group that hosted it."""
    await reactions.note_pop_up_forum(session, event)


@consumers.on(CommunityGroupRegistered)
async def add_community_group(session, event: CommunityGroupRegistered, envelope) -> None:
    """Know a community group's public name, to trace its feedback in public."""
    await record_group(session, community_groups, event, envelope.time)


@consumers.on(CommunityGroupUpdated)
async def update_community_group(session, event: CommunityGroupUpdated, envelope) -> None:
    """Keep a community group's public name and areas up to date."""
    await record_group(session, community_groups, event, envelope.time)


@consumers.on(CommunityGroupWithdrawn)
async def withdraw_community_group(session, event: CommunityGroupWithdrawn, envelope) -> None:
    """A group that left the directory is no longer named in public."""
    await record_withdrawal(session, community_groups, event, envelope.time)


@consumers.on(MemberErased)
async def forget_member(session, event: MemberErased, envelope) -> None:
    """An erased member's identity and contact details leave their feedback; the words stay."""
    await reactions.forget_member(session, event)
