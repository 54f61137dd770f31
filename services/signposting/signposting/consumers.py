"""NATS subscribers of the signposting service (thin: event → use case)."""

from forum_shared.consumers import Consumers
from forum_shared.events import PopUpForumHeld
from signposting import community

consumers = Consumers("signposting")


@consumers.on(PopUpForumHeld)
async def pop_up_forum_held(session, event: PopUpForumHeld, envelope) -> None:
    """Remember when the forum last held a pop-up forum with a community group."""
    await community.record_pop_up_visit(session, event)
