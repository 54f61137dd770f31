"""NATS subscribers of the meetings service (thin: event → use case)."""

from forum_shared.community_groups import record_group, record_withdrawal
from forum_shared.consumers import Consumers
from forum_shared.events import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
    EscalationOverdue,
    EscalationResolved,
    InvolvementRoleAssigned,
    InvolvementRoleEnded,
    IssueEscalated,
    MemberErased,
)
from meetings.service import directory, escalations
from meetings.store import community_groups

consumers = Consumers("meetings")


@consumers.on(IssueEscalated)
async def add_escalation_to_agenda(session, event: IssueEscalated, envelope) -> None:
    """An escalated issue goes on the next forum meeting's agenda."""
    await escalations.add_escalation_to_agenda(session, event)


@consumers.on(EscalationOverdue)
async def add_overdue_escalation_to_agenda(session, event: EscalationOverdue, envelope) -> None:
    """An overdue escalation is flagged on the agenda, or goes on the next forum meeting again."""
    await escalations.add_overdue_escalation_to_agenda(session, event)


@consumers.on(EscalationResolved)
async def take_resolved_escalation_off_the_agenda(session, event: EscalationResolved, envelope) -> None:
    """A resolved escalation need not be raised again at meetings still to come."""
    await escalations.take_resolved_escalation_off_the_agenda(session, event)


@consumers.on(CommunityGroupRegistered)
async def record_community_group(session, event: CommunityGroupRegistered, envelope) -> None:
    """A community group in the directory can host pop-up forums."""
    await record_group(session, community_groups, event, envelope.time)


@consumers.on(CommunityGroupUpdated)
async def update_community_group(session, event: CommunityGroupUpdated, envelope) -> None:
    """A community group's name or areas changed."""
    await record_group(session, community_groups, event, envelope.time)


@consumers.on(CommunityGroupWithdrawn)
async def withdraw_community_group(session, event: CommunityGroupWithdrawn, envelope) -> None:
    """A withdrawn community group can no longer be chosen for a pop-up forum."""
    await record_withdrawal(session, community_groups, event, envelope.time)


@consumers.on(InvolvementRoleAssigned)
async def record_role_assigned(session, event: InvolvementRoleAssigned, envelope) -> None:
    """A member who holds an involvement role can facilitate pop-up forums."""
    await directory.record_role_assigned(session, event)


@consumers.on(InvolvementRoleEnded)
async def record_role_ended(session, event: InvolvementRoleEnded, envelope) -> None:
    """A member whose involvement role ended can no longer facilitate pop-up forums."""
    await directory.record_role_ended(session, event)


@consumers.on(MemberErased)
async def forget_member(session, event: MemberErased, envelope) -> None:
    """An erased member's roles are forgotten and their registrations keep only the bare id."""
    await directory.forget_member(session, event)
