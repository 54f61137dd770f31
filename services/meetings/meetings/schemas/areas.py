"""Where the forum has met: the area that has waited longest, and meetings per area."""


from pydantic import Field

from forum_shared.dates import Day
from meetings.schemas.common import Public


class AreaVisitPublic(Public):
    area: str
    meetings: int = Field(default=0, description="Meetings held or planned there in the period.")
    last_meeting_on: Day | None


class AreaSuggestionPublic(Public):
    suggested_area: str | None = Field(description="The area that has waited longest for a meeting.")
    areas: list[AreaVisitPublic]


class AreaReportPublic(Public):
    from_date: Day
    to_date: Day
    areas: list[AreaVisitPublic]
    online_only: int = Field(description="Meetings held only online in the period.")
