"""Where the forum has met: the area that has waited longest, and meetings per area."""

from datetime import date

from pydantic import Field

from meetings.schemas.common import Public


class AreaVisitPublic(Public):
    area: str
    meetings: int = Field(default=0, description="Meetings held or planned there in the period.")
    last_meeting_on: date | None


class AreaSuggestionPublic(Public):
    suggested_area: str | None = Field(description="The area that has waited longest for a meeting.")
    areas: list[AreaVisitPublic]


class AreaReportPublic(Public):
    from_date: date
    to_date: date
    areas: list[AreaVisitPublic]
    online_only: int = Field(description="Meetings held only online in the period.")
