"""What is coming up, for the public: forum meetings open to the public and pop-up forums, still
to come (or under way), soonest first."""

from __future__ import annotations

from datetime import UTC, datetime

from forum_shared.db import Database
from meetings.domain import MeetingStatus, PopUpStatus
from meetings.records import Meeting, PopUpForum
from meetings.service.pop_ups import seen_by
from meetings.store import meeting as stored_meetings
from meetings.store import pop_up as stored_pop_ups


async def upcoming(db: Database, area: str | None = None, now: datetime | None = None) -> list[Meeting | PopUpForum]:
    """Public meetings and pop-up forums that have not ended, cancelled ones included (shown as
    cancelled), in one area if asked: a pop-up forum without an area of its own is in its group's."""
    now = now or datetime.now(UTC)
    async with db.read() as session:
        meetings = await stored_meetings.meetings_in_order(session, public_only=True)
        pop_ups = await stored_pop_ups.pop_ups_in_order(session)
    items: list[Meeting | PopUpForum] = [
        m for m in meetings if m.ends_at >= now and m.status != MeetingStatus.held
    ]
    items += [seen_by(None, p) for p in pop_ups if p.ends_at >= now and p.status != PopUpStatus.held]
    if area:
        items = [i for i in items if _in_area(i, area)]
    return sorted(items, key=lambda i: i.starts_at)


def _in_area(item: Meeting | PopUpForum, area: str) -> bool:
    if isinstance(item, PopUpForum):
        return item.in_area(area)
    return (item.area or "").casefold() == area.casefold()
