"""Event contracts: `from forum_shared.events import IssueEscalated`."""

from forum_shared.events.base import Envelope
from forum_shared.events.event import Event, InvalidEnvelope, stream_for, subject_for
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

# Submodules are listed too, as `import *` has always brought them.
__all__ = [
    "ActionAgreed",
    "ActionCompleted",
    "CommunityGroupRegistered",
    "CommunityGroupUpdated",
    "CommunityGroupWithdrawn",
    "EVENT_TYPES",
    "Envelope",
    "EscalationAcknowledged",
    "EscalationOverdue",
    "EscalationResolved",
    "Event",
    "FeedbackLinkedToEscalation",
    "FeedbackReceived",
    "FeedbackResponded",
    "FeedbackTriaged",
    "InvalidEnvelope",
    "InvolvementRoleAdvertised",
    "InvolvementRoleAssigned",
    "InvolvementRoleEnded",
    "IssueEscalated",
    "MeetingCancelled",
    "MeetingHeld",
    "MeetingReminderDue",
    "MeetingRescheduled",
    "MeetingScheduled",
    "MemberErased",
    "MemberJoined",
    "MemberLeft",
    "PartnerOrganisationJoined",
    "PopUpForumHeld",
    "SignpostingGiven",
    "WaitingListPlaceOffered",
    "base",
    "event_class",
    "events_of",
    "feedback",
    "meetings",
    "membership",
    "registry",
    "signposting",
    "stream_for",
    "subject_for",
]
