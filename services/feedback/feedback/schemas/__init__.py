"""What the JSON API accepts (`…Create`, and the commands governors and staff send) and returns
(`…Public`), one module per part of the job."""

from feedback.schemas.directory import CommunityGroupPublic
from feedback.schemas.escalations import (
    Acknowledgement,
    EscalationCreate,
    EscalationDetail,
    EscalationEmails,
    EscalationOfMany,
    EscalationPublic,
    FeedbackLink,
    NoteCreate,
    NotePublic,
    Resolution,
)
from feedback.schemas.feedback import (
    FeedbackCreate,
    FeedbackPublic,
    FeedbackRedaction,
    FeedbackTriage,
    PartnerFeedbackCreate,
    ViewCreate,
    ViewsCreate,
)
from feedback.schemas.reports import EscalationCounts, ReportPublic
from feedback.schemas.responses import ResponseCreate, ResponsePublic, SourceTrace, YouSaidWeDidPublic
from feedback.schemas.themes import ThemeCreate, ThemePublic

__all__ = [
    "Acknowledgement",
    "CommunityGroupPublic",
    "EscalationCounts",
    "EscalationCreate",
    "EscalationDetail",
    "EscalationEmails",
    "EscalationOfMany",
    "EscalationPublic",
    "FeedbackCreate",
    "FeedbackLink",
    "FeedbackPublic",
    "FeedbackRedaction",
    "FeedbackTriage",
    "NoteCreate",
    "NotePublic",
    "PartnerFeedbackCreate",
    "ReportPublic",
    "Resolution",
    "ResponseCreate",
    "ResponsePublic",
    "SourceTrace",
    "ThemeCreate",
    "ThemePublic",
    "ViewCreate",
    "ViewsCreate",
    "YouSaidWeDidPublic",
]
