"""Email to the people who registered for a meeting: the confirmation of what they asked for,
a place offered from the waiting list, a reminder the day before, and word when the meeting moves
or is cancelled. Each is queued in the use case's unit of work, so it goes out only if the change
commits, and only to people who gave an email address.

Messages about a registration carry the meeting as a calendar event (`meetings.ical.invitation`,
with the feed's UID and SEQUENCE) and a link to change or cancel the registration without signing
in: the template makes it with `signed_link(MANAGE_PATH, MANAGE_PURPOSE, registration_id,
manage_until)`, and it works until the meeting starts.

Reminders and changes to a meeting have a topic, so people can stop them; the answers to what a
person did (registering, cancelling, being given the place they waited for) have none.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from forum_shared.config import ServiceSettings
from forum_shared.mail import Attachment, Email
from forum_shared.unit_of_work import Work
from meetings import domain, ical
from meetings.domain import RegistrationStatus
from meetings.records import Meeting, Registration

MANAGE_PATH = "/registrations/manage/"
MANAGE_PURPOSE = "manage-registration"

REMINDERS = "meetings.reminders"
CHANGES = "meetings.changes"
# What the unsubscribe page calls each topic ("You will no longer get …").
TOPICS = {
    REMINDERS: "reminders the day before a meeting you registered for",
    CHANGES: "emails when a meeting you registered for moves or is cancelled",
}

# Who sends the calendar invitations when the service's own From address is not given (tests).
DEFAULT_ORGANIZER: str = ServiceSettings.model_fields["mail_from"].default


def manage_until(meeting: Meeting) -> datetime:
    """When the link to manage a registration stops working: as the meeting starts."""
    return meeting.starts_at


def where(meeting: Meeting) -> str:
    """Where the meeting is, in words, as its page says it."""
    place = ", ".join(p for p in (meeting.venue, meeting.address) if p)
    if place and meeting.online_url:
        return f"{place}, and online"
    return place or ("Online" if meeting.online_url else "To be confirmed")


def _facts(meeting: Meeting, registration: Registration) -> dict[str, Any]:
    access = [domain.access_label(service) for service in meeting.access_services]
    return {
        "name": registration.name,
        "title": meeting.title,
        "when": domain.when(meeting.starts_at, meeting.ends_at),
        "starts_at": meeting.starts_at.isoformat(),
        "where": where(meeting),
        "online_url": meeting.online_url,
        "access": access,
        "access_notes": meeting.access_notes,
        "meeting_path": f"/upcoming-meetings/{meeting.id}",
        "registration_id": registration.id,
        "manage_until": manage_until(meeting).isoformat(),
        "status": str(registration.status),
        "waiting_position": registration.waiting_position,
    }


Method = Literal["REQUEST", "CANCEL"]


async def _send(
    work: Work,
    meeting: Meeting,
    registration: Registration,
    subject: str,
    template: str,
    *,
    topic: str | None = None,
    calendar: Method | None = None,
    organizer: str | None = None,
    **more: Any,
) -> str | None:
    """Queue one message about `registration`, with the meeting as a calendar event if `calendar`
    names its method; None if they gave no email address (or unsubscribed from `topic`)."""
    address = registration.contact_email
    if not address:
        return None
    attachments = []
    if calendar:
        data = ical.invitation(
            meeting, calendar, organizer=organizer or DEFAULT_ORGANIZER, attendee=address,
            attendee_name=registration.name, waiting=registration.status == RegistrationStatus.waiting,
        )
        attachments.append(Attachment("meeting.ics", "text/calendar", data, {"method": calendar}))
    return await work.send_email(
        Email(
            to=address,
            subject=subject,
            template=template,
            context={**_facts(meeting, registration), **more},
            about=f"registration:{registration.id}",
            topic=topic,
            attachments=attachments,
        )
    )


def _day(meeting: Meeting) -> str:
    return domain.day_text(meeting.starts_at)


async def registration_confirmed(
    work: Work, meeting: Meeting, registration: Registration, organizer: str | None = None
) -> str | None:
    """A place, or a number on the waiting list: what registering gave."""
    if registration.status == RegistrationStatus.waiting:
        subject = f"You are on the waiting list for {meeting.title} on {_day(meeting)}"
        template = "registration_waiting"
    else:
        subject = f"You have a place at {meeting.title} on {_day(meeting)}"
        template = "registration_confirmed"
    return await _send(work, meeting, registration, subject, template, calendar="REQUEST", organizer=organizer)


async def place_offered(
    work: Work, meeting: Meeting, registration: Registration, organizer: str | None = None
) -> str | None:
    """Someone on the waiting list now has a place."""
    subject = f"A place is now free for you at {meeting.title} on {_day(meeting)}"
    return await _send(work, meeting, registration, subject, "place_offered", calendar="REQUEST", organizer=organizer)


async def registration_cancelled(
    work: Work, meeting: Meeting, registration: Registration, organizer: str | None = None
) -> str | None:
    """Someone gave up their place (or left the waiting list), or staff cancelled it for them:
    the event leaves their calendar."""
    subject = f"Your registration for {meeting.title} on {_day(meeting)} is cancelled"
    return await _send(
        work, meeting, registration, subject, "registration_cancelled", calendar="CANCEL", organizer=organizer
    )


async def reminder(work: Work, meeting: Meeting, registration: Registration) -> str | None:
    """The day before, to someone with a place."""
    subject = f"Reminder: {meeting.title} on {domain.when(meeting.starts_at)}"
    return await _send(work, meeting, registration, subject, "meeting_reminder", topic=REMINDERS)


async def tell_everyone_registered(
    work: Work,
    meeting: Meeting,
    registrations: tuple[Registration, ...],
    change: Literal["moved", "cancelled"],
    organizer: str | None = None,
) -> int:
    """Tell everyone with a place or on the waiting list that the meeting moved (the calendar
    event is updated) or was cancelled (it is cancelled); returns how many emails were queued."""
    method: Method
    if change == "moved":
        subject, template, method = f"Changed: {meeting.title} is now on {_day(meeting)}", "meeting_moved", "REQUEST"
    else:
        subject, template, method = f"Cancelled: {meeting.title} on {_day(meeting)}", "meeting_cancelled", "CANCEL"
    queued = 0
    for registration in registrations:
        if registration.status == RegistrationStatus.cancelled:
            continue
        sent = await _send(
            work, meeting, registration, subject, template, topic=CHANGES, calendar=method, organizer=organizer,
            reason=meeting.cancel_reason,
        )
        queued += sent is not None
    return queued
