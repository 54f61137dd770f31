"""Event contracts: `from forum_shared.events import IssueEscalated`."""

from forum_shared.events.base import Envelope, Event, InvalidEnvelope, stream_for, subject_for
from forum_shared.events.feedback import (
    EscalationAcknowledged,
    EscalationOverdue,
    EscalationResolved,
    FeedbackLinkedToEscalation,
    FeedbackReceived,
    FeedbackResponded,
    FeedbackTriaged,
    IssueEscalated,
)
from forum_shared.events.meetings import (
    ActionAgreed,
    ActionCompleted,
    MeetingCancelled,
    MeetingHeld,
    MeetingReminderDue,
    MeetingRescheduled,
    MeetingScheduled,
    PopUpForumHeld,
    WaitingListPlaceOffered,
)
from forum_shared.events.membership import (
    InvolvementRoleAdvertised,
    InvolvementRoleAssigned,
    InvolvementRoleEnded,
    MemberErased,
    MemberJoined,
    MemberLeft,
    PartnerOrganisationJoined,
)
from forum_shared.events.registry import EVENT_TYPES, event_class, events_of
from forum_shared.events.signposting import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
    SignpostingGiven,
)

__all__ = [name for name in dir() if not name.startswith("_")]
