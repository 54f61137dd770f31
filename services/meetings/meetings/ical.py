"""iCalendar (RFC 5545) for forum meetings, made with the `icalendar` library.

Times are written in Europe/London with a VTIMEZONE, so calendar programs show 7pm as 7pm on
either side of the clock changes. Each meeting keeps one UID for life; SEQUENCE goes up when it
changes, and a cancelled meeting stays in the feed with STATUS:CANCELLED so calendars that
already hold it mark it cancelled instead of keeping a stale copy.

The same event goes by email to the people who registered (`invitation`, RFC 5546): METHOD:REQUEST
when they register, get a place or the meeting moves (the calendar updates the copy it holds, as
UID and SEQUENCE are the feed's), METHOD:CANCEL when the meeting is cancelled or they give up their
place.

`icalendar` is imported when a calendar is first made, not when the service starts (it is about
4 MB of memory the service need not hold until then).
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import parseaddr
from typing import TYPE_CHECKING, Literal

from meetings import domain
from meetings.domain import MeetingStatus
from meetings.records import Meeting

if TYPE_CHECKING:
    from icalendar import Event

UID_DOMAIN = "meetings.partnership-forum"
PRODID = "-//Partnership Forum//Meetings//EN"


def meeting_uid(meeting_id: str) -> str:
    return f"meeting-{meeting_id}@{UID_DOMAIN}"


def calendar_of(meetings: list[Meeting], name: str, now: datetime | None = None) -> bytes:
    from icalendar import Calendar

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", str(domain.LONDON))
    stamp = now or datetime.now(UTC)
    for meeting in meetings:
        cal.add_component(_event(meeting, stamp))
    if meetings:
        first = min(m.starts_at for m in meetings).date() - timedelta(days=366)
        last = max(m.ends_at for m in meetings).date() + timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    return cal.to_ical()


def invitation(
    meeting: Meeting,
    method: Literal["REQUEST", "CANCEL"],
    *,
    organizer: str,
    attendee: str,
    attendee_name: str | None = None,
    waiting: bool = False,
    now: datetime | None = None,
) -> bytes:
    """The meeting as an iTIP message to one person who registered: `organizer` is the forum's
    From address ("Partnership Forum <forum@example.org>"), `attendee` theirs. A place is an
    accepted invitation (nothing to answer); a place on the waiting list a tentative one."""
    from icalendar import Calendar, vCalAddress, vText

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", method)
    event = _event(meeting, now or datetime.now(UTC))
    if method == "CANCEL":
        event.pop("status")
        event.add("status", "CANCELLED")
    name, address = parseaddr(organizer)
    who = vCalAddress(f"mailto:{address or organizer}")
    who.params["cn"] = vText(name or "Partnership Forum")
    event.add("organizer", who)
    person = vCalAddress(f"mailto:{attendee}")
    if attendee_name:
        person.params["cn"] = vText(attendee_name)
    person.params["role"] = vText("REQ-PARTICIPANT")
    person.params["partstat"] = vText("TENTATIVE" if waiting else "ACCEPTED")
    person.params["rsvp"] = vText("FALSE")
    event.add("attendee", person)
    cal.add_component(event)
    day = meeting.starts_at.date()
    cal.add_missing_timezones(first_date=day - timedelta(days=366), last_date=day + timedelta(days=366))
    return cal.to_ical()


def _event(meeting: Meeting, stamp: datetime) -> Event:
    from icalendar import Event

    event = Event()
    event.add("uid", meeting_uid(meeting.id))
    event.add("dtstamp", stamp.astimezone(UTC))
    event.add("dtstart", domain.to_london(meeting.starts_at))
    event.add("dtend", domain.to_london(meeting.ends_at))
    event.add("summary", meeting.title)
    event.add("sequence", meeting.sequence)
    event.add("last-modified", meeting.updated_at.astimezone(UTC))
    event.add("created", meeting.created_at.astimezone(UTC))
    event.add("class", "PUBLIC" if meeting.public else "PRIVATE")
    cancelled = meeting.status == MeetingStatus.cancelled
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    place = [p for p in (meeting.venue, meeting.address, meeting.area) if p]
    event.add("location", ", ".join(place) if place else "Online")
    if meeting.online_url:
        event.add("url", meeting.online_url)
    event.add("description", _description(meeting, cancelled))
    return event


def _description(meeting: Meeting, cancelled: bool) -> str:
    lines = []
    if cancelled:
        reason = f" {meeting.cancel_reason}" if meeting.cancel_reason else ""
        lines.append(f"This meeting has been cancelled.{reason}")
    if meeting.public:
        lines.append("Open to the public: everyone is welcome.")
    if meeting.online_url:
        lines.append(f"Join online: {meeting.online_url}")
    access = [domain.access_label(service) for service in meeting.access_services]
    if access:
        lines.append("Access: " + ", ".join(access) + ".")
    if meeting.access_notes:
        lines.append(meeting.access_notes)
    return "\n".join(lines)
