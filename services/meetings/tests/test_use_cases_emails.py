"""People hear back: what registering gave them, a place offered from the waiting list, a reminder
the day before, and word when the meeting moves or is cancelled, each with the meeting for their
calendar (the feed's UID, SEQUENCE up with each change) and a link to manage their registration.
The use cases called directly; the email outbox read back (`forum_shared.mail.unsent`) and, once,
rendered as the service's mail sender would."""

import base64
import re
from datetime import UTC, datetime, timedelta

from icalendar import Calendar

from forum_shared import mail
from forum_shared.events.membership import MemberErased
from forum_shared.identity import links
from forum_shared.mail.sender import MailSender
from forum_shared.testing import settings_for
from meetings.app import HERE
from meetings.config import Settings
from meetings.ical import calendar_of, meeting_uid
from meetings.schemas.meetings import CancellationCreate, MeetingReschedule
from meetings.schemas.registrations import RegistrationCreate
from meetings.service import directory, registration, schedule
from meetings.service.emails import CHANGES, MANAGE_PURPOSE, REMINDERS
from meetings.service.reminders import check_reminders
from meetings.service.retention import clear_old_registration_details

from .conftest import AREAS

FORUM = "Partnership Forum <forum@forum.example>"


async def outbox(db, about: str | None = None) -> list[dict]:
    async with db.read() as session:
        return await mail.unsent(session, about)


def to(rows: list[dict], address: str) -> list[dict]:
    return [row for row in rows if row["to_address"] == address]


def event_in(row: dict):
    """(METHOD, the VEVENT) of the calendar attached to an outbox row."""
    [attached] = row["attachments"]
    assert (attached["filename"], attached["content_type"]) == ("meeting.ics", "text/calendar")
    calendar = Calendar.from_ical(base64.b64decode(attached["data"]))
    assert str(calendar["method"]) == attached["params"]["method"]
    [event] = calendar.walk("VEVENT")
    return str(calendar["method"]), event


async def sign_up(db, meeting, name: str, email: str | None = None, **fields):
    data = RegistrationCreate(name=name, contact_email=email, **fields)
    return await registration.register(db, "anonymous", meeting.id, data, organizer=FORUM)


async def test_registering_confirms_a_place_or_a_number_on_the_waiting_list_with_the_meeting_for_the_calendar(
    db, schedule_in
):
    meeting = await schedule_in(db, days=14, capacity=1, title="Forum in Ely")
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    bo = await sign_up(db, meeting, "Bo", "bo@example.org")
    await sign_up(db, meeting, "Cy")  # no email address: nothing to send

    [placed] = await outbox(db, f"registration:{ann.id}")
    assert (placed["to_address"], placed["template"], placed["topic"]) == (
        "ann@example.org", "registration_confirmed", None)
    assert placed["subject"].startswith("You have a place at Forum in Ely on ")
    assert placed["context"]["registration_id"] == ann.id
    assert placed["context"]["manage_until"] == meeting.starts_at.isoformat(), "the link works until it starts"
    method, event = event_in(placed)
    assert (method, str(event["uid"]), event["sequence"], str(event["status"])) == (
        "REQUEST", meeting_uid(meeting.id), 0, "CONFIRMED")
    assert str(event["organizer"]) == "mailto:forum@forum.example"
    assert event["organizer"].params["CN"] == "Partnership Forum"
    assert str(event["attendee"]) == "mailto:ann@example.org" and event["attendee"].params["PARTSTAT"] == "ACCEPTED"

    [waiting] = await outbox(db, f"registration:{bo.id}")
    assert (waiting["template"], waiting["context"]["waiting_position"]) == ("registration_waiting", 1)
    assert event_in(waiting)[1]["attendee"].params["PARTSTAT"] == "TENTATIVE"
    assert len(await outbox(db)) == 2


async def test_a_place_given_up_is_confirmed_and_the_next_in_line_is_told_it_is_theirs(db, schedule_in):
    meeting = await schedule_in(db, days=14, capacity=1)
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    bo = await sign_up(db, meeting, "Bo", "bo@example.org")
    await registration.cancel_own_registration(db, ann.id, organizer=FORUM)

    cancelled = [r for r in await outbox(db, f"registration:{ann.id}") if r["template"] == "registration_cancelled"]
    method, event = event_in(cancelled[0])
    assert (method, str(event["status"]), str(event["uid"])) == ("CANCEL", "CANCELLED", meeting_uid(meeting.id))
    [offered] = [r for r in await outbox(db, f"registration:{bo.id}") if r["template"] == "place_offered"]
    assert offered["topic"] is None, "the answer to their own request to wait"
    assert offered["subject"].startswith("A place is now free for you")
    method, event = event_in(offered)
    assert (method, event["attendee"].params["PARTSTAT"]) == ("REQUEST", "ACCEPTED")


async def test_moving_a_meeting_sends_everyone_registered_or_waiting_the_changed_event_with_the_feeds_sequence(
    db, staff, schedule_in
):
    meeting = await schedule_in(db, days=14, capacity=1)
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    bo = await sign_up(db, meeting, "Bo", "bo@example.org")
    gone = await sign_up(db, meeting, "Di", "di@example.org")
    await registration.cancel_registration(db, staff, meeting.id, gone.id)
    before = {row["id"] for row in await outbox(db)}

    later = (meeting.starts_at + timedelta(days=7)).replace(microsecond=0)
    moved = await schedule.reschedule_meeting(
        db, staff, meeting.id, MeetingReschedule(starts_at=later, ends_at=later + timedelta(hours=2)), AREAS,
        organizer=FORUM,
    )
    sent = [row for row in await outbox(db) if row["id"] not in before]
    assert sorted(row["to_address"] for row in sent) == ["ann@example.org", "bo@example.org"]
    assert {(row["template"], row["topic"]) for row in sent} == {("meeting_moved", CHANGES)}
    [feed_event] = Calendar.from_ical(calendar_of([moved.meeting], "Forum")).walk("VEVENT")
    for row in sent:
        method, event = event_in(row)
        assert (method, event["sequence"]) == ("REQUEST", 1) and feed_event["sequence"] == 1
        assert event["dtstart"].dt == later and str(event["uid"]) == meeting_uid(meeting.id)
    assert {row["context"]["registration_id"] for row in sent} == {ann.id, bo.id}


async def test_cancelling_a_meeting_sends_a_calendar_cancellation_with_the_reason(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14)
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate(reason="The venue flooded."),
                                  organizer=FORUM)
    [cancelled] = [r for r in await outbox(db, f"registration:{ann.id}") if r["template"] == "meeting_cancelled"]
    assert (cancelled["topic"], cancelled["context"]["reason"]) == (CHANGES, "The venue flooded.")
    method, event = event_in(cancelled)
    assert (method, str(event["status"]), event["sequence"]) == ("CANCEL", "CANCELLED", 1)


async def test_a_reminder_goes_the_day_before_only_to_people_with_a_place_and_an_email_address(db, staff, schedule_in):
    meeting = await schedule_in(db, days=3, capacity=2)
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    await sign_up(db, meeting, "Bo")  # a place, but no address
    await sign_up(db, meeting, "Cy", "cy@example.org")  # waiting
    member = await registration.register(
        db, staff, meeting.id, RegistrationCreate(member_id="m-1", contact_email="m1@example.org")
    )
    assert member.status == "waiting"
    await registration.cancel_registration(db, staff, meeting.id, member.id)
    before = {row["id"] for row in await outbox(db)}

    day_before = meeting.starts_at - timedelta(hours=20)
    assert await check_reminders(db, day_before) == [meeting.id]
    assert await check_reminders(db, day_before + timedelta(hours=1)) == []
    [reminded] = [row for row in await outbox(db) if row["id"] not in before]
    assert (reminded["to_address"], reminded["template"], reminded["topic"]) == (
        "ann@example.org", "meeting_reminder", REMINDERS)
    assert reminded["context"]["registration_id"] == ann.id and reminded["attachments"] == []


async def test_every_email_renders_with_a_link_that_manages_that_registration(db, staff, schedule_in):
    meeting = await schedule_in(db, days=3, capacity=1, online_url="https://meet.example/forum",
                                access_services=["hearing_loop"])
    ann = await sign_up(db, meeting, "Ann", "ann@example.org")
    bo = await sign_up(db, meeting, "Bo", "bo@example.org")
    await check_reminders(db, meeting.starts_at - timedelta(hours=20))
    await registration.cancel_registration(db, staff, meeting.id, ann.id)
    later = meeting.starts_at + timedelta(days=1)
    await schedule.reschedule_meeting(
        db, staff, meeting.id, MeetingReschedule(starts_at=later, ends_at=later + timedelta(hours=2)), AREAS)
    await schedule.cancel_meeting(db, staff, meeting.id, CancellationCreate(reason="Storm warning."))

    secret = "a-secret-for-signing-links-in-this-test-only"
    settings = settings_for(Settings, secret_key=secret, mail_from=FORUM, public_url="https://meetings.example")
    sender = MailSender(db, settings, service_title="Meetings", templates=HERE / "templates")
    rows = await outbox(db)
    assert {row["template"] for row in rows} == {
        "registration_confirmed", "registration_waiting", "meeting_reminder", "registration_cancelled",
        "place_offered", "meeting_moved", "meeting_cancelled",
    }
    for row in rows:
        message = sender.compose(row)
        text = message.get_body(("plain",)).get_content()
        assert text.startswith(f"Hello {'Ann' if row['to_address'].startswith('ann') else 'Bo'},"), text
        assert "{{" not in text and "None" not in text, text
        manage = re.findall(r"https://meetings\.example/registrations/manage/(\S+)", text)
        if row["template"] in ("meeting_cancelled", "registration_cancelled"):
            assert manage == [], "nothing left to manage"
        else:
            signed_for = [links.read(secret, MANAGE_PURPOSE, token) for token in manage]
            assert signed_for == [row["context"]["registration_id"]]
        assert ("To stop these emails" in text) == (row["topic"] is not None)
        assert [part.get_content_type() for part in message.iter_attachments()] == (
            ["text/calendar"] if row["template"] != "meeting_reminder" else [])
    [waiting] = [row for row in rows if row["template"] == "registration_waiting"]
    assert "You are number 1 on the waiting list" in sender.compose(waiting).get_body(("plain",)).get_content()
    [cancelled] = [row for row in rows if row["template"] == "meeting_cancelled"]
    assert cancelled["context"]["registration_id"] == bo.id
    assert "Storm warning." in sender.compose(cancelled).get_body(("plain",)).get_content()


async def test_forgotten_addresses_take_their_waiting_email_with_them(db, staff, schedule_in):
    meeting = await schedule_in(db, days=14)
    later = await schedule_in(db, days=60, area="Fenland")
    gus = RegistrationCreate(member_id="gus", contact_email="gus@example.org")
    await registration.register(db, staff, meeting.id, gus)
    await sign_up(db, meeting, "Bo", "bo@example.org")
    await sign_up(db, meeting, "Cy", "cy@example.org")
    await sign_up(db, later, "Cy", "CY@example.org")  # the same person, for a meeting still to come
    async with db.transaction() as session:
        await directory.forget_member(session, MemberErased(member_id="gus", erased_at=datetime.now(UTC)))
    assert to(await outbox(db), "gus@example.org") == []

    assert await clear_old_registration_details(db, 30, now=meeting.ends_at + timedelta(days=31)) == 2
    left = await outbox(db)
    assert to(left, "bo@example.org") == [], "cleared with the registration's details"
    assert len(to(left, "cy@example.org")) == 1 and len(to(left, "CY@example.org")) == 1, "still registered for later"
