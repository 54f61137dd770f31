"""Pure rules of feedback and escalation. Imports only the standard library and `holidays`."""

from __future__ import annotations

from datetime import date, timedelta
from enum import StrEnum

import holidays

MAX_TEXT = 5000


class Polarity(StrEnum):
    positive = "positive"
    negative = "negative"
    mixed = "mixed"


class Channel(StrEnum):
    online = "online"
    pop_up_forum = "pop_up_forum"
    meeting = "meeting"
    community_group = "community_group"
    partner = "partner"
    phone = "phone"
    letter = "letter"


class FeedbackStatus(StrEnum):
    new = "new"
    triaged = "triaged"
    responded = "responded"
    closed = "closed"


class EscalationStatus(StrEnum):
    raised = "raised"
    acknowledged = "acknowledged"
    responded = "responded"
    resolved = "resolved"


def respond_by(raised_on: date, working_days: int) -> date:
    """The date `working_days` working days after `raised_on`, skipping weekends and England's
    bank holidays (Healthwatch's escalation route expects a response within 20–30 days)."""
    bank_holidays = holidays.UK(subdiv="ENG", years=range(raised_on.year, raised_on.year + 2))
    day, left = raised_on, working_days
    while left > 0:
        day += timedelta(days=1)
        if day.weekday() < 5 and day not in bank_holidays:
            left -= 1
    return day
