"""NATS subscribers of the meetings service (thin: event → use case, in the inbox transaction)."""

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.consumers import Consumers
from forum_shared.events.base import Envelope
from forum_shared.events.feedback import EscalationOverdue, EscalationResolved, IssueEscalated
from forum_shared.events.membership import InvolvementRoleAssigned, InvolvementRoleEnded, MemberErased
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn
from meetings.service import directory, escalations

consumers = Consumers("meetings")


@consumers.on(IssueEscalated)
async def add_escalation_to_agenda(session: AsyncSession, event: IssueEscalated, envelope: Envelope) -> None:
    """An escalated issue goes on the next forum meeting's agenda."""
    await escalations.add_escalation_to_agenda(session, event)


@consumers.on(EscalationOverdue)
async def add_overdue_escalation_to_agenda(session: AsyncSession, event: EscalationOverdue, envelope: Envelope) -> None:
    """An overdue escalation is flagged on the agenda, or goes on the next forum meeting again."""
    await escalations.add_overdue_escalation_to_agenda(session, event)


@consumers.on(EscalationResolved)
async def take_resolved_escalation_off_the_agenda(
    session: AsyncSession, event: EscalationResolved, envelope: Envelope
) -> None:
    """A resolved escalation need not be raised again at meetings still to come."""
    await escalations.take_resolved_escalation_off_the_agenda(session, event)


@consumers.on(CommunityGroupRegistered)
async def record_community_group(session: AsyncSession, event: CommunityGroupRegistered, envelope: Envelope) -> None:
    """A community group in the directory can host pop-up forums."""
    await directory.record_community_group(session, event, envelope.time)


@consumers.on(CommunityGroupUpdated)
async def update_community_group(session: AsyncSession, event: CommunityGroupUpdated, envelope: Envelope) -> None:
    """A community group's name or areas changed."""
    await directory.record_community_group(session, event, envelope.time)


@consumers.on(CommunityGroupWithdrawn)
async def withdraw_community_group(session: AsyncSession, event: CommunityGroupWithdrawn, envelope: Envelope) -> None:
    """A withdrawn community group can no longer be chosen for a pop-up forum."""
    await directory.record_community_group_withdrawn(session, event, envelope.time)


@consumers.on(InvolvementRoleAssigned)
async def record_role_assigned(session: AsyncSession, event: InvolvementRoleAssigned, envelope: Envelope) -> None:
    """A member who holds an involvement role can facilitate pop-up forums."""
    await directory.record_role_assigned(session, event)


@consumers.on(InvolvementRoleEnded)
async def record_role_ended(session: AsyncSession, event: InvolvementRoleEnded, envelope: Envelope) -> None:
    """A member whose involvement role ended can no longer facilitate pop-up forums."""
    await directory.record_role_ended(session, event)


@consumers.on(MemberErased)
async def forget_member(session: AsyncSession, event: MemberErased, envelope: Envelope) -> None:
    """An erased member's roles are forgotten and their registrations keep only the bare id."""
    await directory.forget_member(session, event)
