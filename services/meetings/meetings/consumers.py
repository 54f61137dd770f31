"""NATS subscribers of the meetings service (thin: event → use case)."""

from forum_shared.consumers import Consumers
from forum_shared.events import IssueEscalated
from meetings import service

consumers = Consumers("meetings")


@consumers.on(IssueEscalated)
async def add_escalation_to_agenda(session, event: IssueEscalated, envelope) -> None:
    """An escalated issue goes on the next forum meeting's agenda."""
    await service.add_escalation_to_agenda(session, event)
