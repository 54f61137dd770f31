"""The kit's mailer: email commits with its change, is sent with retries by a real SMTP server's
measure (aiosmtpd), exactly once per message, without keeping its body; unsubscribing takes one
POST; signed links and member passes refuse what they should."""

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from forum_shared import mail
from forum_shared.db import Database
from forum_shared.identity import links, member_passes
from forum_shared.mail import Attachment, Email
from forum_shared.mail.sender import MailSender
from forum_shared.tables import email_outbox, kit_metadata
from forum_shared.testing import MailServer, settings_for, wait_for

from .conftest import ToySettings, make_kit

TEMPLATES = Path(__file__).parent / "mail_templates"
SECRET = "a-test-secret-that-is-long-enough-for-anything"


def a_note(to: str = "sam@example.org", *, topic: str | None = None, about: str = "note:1") -> Email:
    return Email(
        to=to, subject="Your note is saved", template="note", about=about, topic=topic,
        context={"name": "Sam", "note_id": "n1", "saved_at": "2026-03-03T14:00:00+00:00",
                 "expires": (datetime.now(UTC) + timedelta(days=1)).isoformat()},
        attachments=[Attachment("note.ics", "text/calendar", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
                                {"method": "REQUEST"})],
    )


@pytest.fixture
async def db(tmp_path):
    database = Database(f"sqlite+aiosqlite:///{tmp_path / 'mail.db'}")
    async with database.engine.begin() as conn:
        await conn.run_sync(kit_metadata.create_all)
    yield database
    await database.dispose()


def sender_for(db: Database, mail_url: str, **settings) -> MailSender:
    values = {"mail_url": mail_url, "mail_from": "Partnership Forum <forum@forum.example>", "secret_key": SECRET,
              "public_url": "https://notes.example", **settings}
    return MailSender(db, settings_for(ToySettings, **values), service_title="Notes", templates=TEMPLATES)


async def rows(db: Database) -> list[dict]:
    async with db.read() as session:
        return [dict(r._mapping) for r in (await session.execute(select(email_outbox))).all()]


async def test_an_email_commits_with_its_change_or_not_at_all(db):
    with pytest.raises(RuntimeError):
        async with db.transaction() as session:
            await mail.queue(session, a_note(about="note:rolled-back"))
            raise RuntimeError("the change failed")
    async with db.transaction() as session:
        await mail.queue(session, a_note())
    assert [row["about"] for row in await rows(db)] == ["note:1"]


async def test_a_sent_email_has_both_bodies_its_attachment_and_headers_and_its_row_keeps_no_body(db, mail_server):
    async with db.transaction() as session:
        direct = await mail.queue(session, a_note())
        listed = await mail.queue(session, a_note("kim@example.org", topic="notes.news", about="note:2"))
    assert await sender_for(db, mail_server.url).send_due() == 2

    answer = await mail_server.wait_for(to="sam@example.org")
    assert answer["Message-ID"] == f"<{direct}@forum.example>"
    assert answer["From"] == "Partnership Forum <forum@forum.example>"
    assert "List-Unsubscribe" not in answer and answer["Auto-Submitted"] == "auto-generated"
    text = answer.get_body(("plain",)).get_content()
    assert "Hello Sam," in text and "Tuesday 3 March 2026 at 2pm" in text
    assert "https://notes.example/notes/n1" in text
    html = answer.get_body(("html",)).get_content()
    assert '<a href="https://notes.example/notes/n1">' in html and "<li>It is kept safe</li>" in html
    [ics] = list(answer.iter_attachments())
    assert ics.get_filename() == "note.ics" and ics.get_content_type() == "text/calendar"
    assert ics.get_param("method") == "REQUEST"
    manage = text.split("Manage it here: ")[1].split()[0]
    assert links.read(SECRET, "manage-note", manage.removeprefix("https://notes.example/notes/manage/")) == "n1"

    news = await mail_server.wait_for(to="kim@example.org")
    assert news["Message-ID"] == f"<{listed}@forum.example>"
    assert news["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert news["List-Unsubscribe"].startswith("<https://notes.example/unsubscribe/")
    assert "To stop these emails, go to https://notes.example/unsubscribe/" in news.get_body(("plain",)).get_content()

    for row in await rows(db):
        assert row["sent_at"] is not None and row["attempts"] == 1
        assert row["to_address"] is None and row["context"] is None and row["attachments"] is None
        assert row["to_hash"] == mail.address_hash("SAM@example.org " if row["id"] == direct else "kim@example.org")


@pytest.mark.servers  # an SMTP server of its own, down and then up
async def test_while_the_mail_server_is_down_nothing_is_lost_and_each_message_arrives_exactly_once(db, tmp_path):
    server = MailServer(tmp_path / "caught")
    server.start()
    server.stop()  # its port is known and nothing listens on it: the mail server is down
    sender = sender_for(db, server.url, mail_retry_seconds=0.1)
    running = asyncio.create_task(sender.run())
    try:
        for n in range(6):
            async with db.transaction() as session:
                await mail.queue(session, a_note(f"person{n}@example.org", about=f"note:{n}"))
        await wait_for(lambda: _all_tried(db), what="every message tried while the server is down")
        assert server.messages() == []
        server.start()
        await wait_for(lambda: len(server.messages()) == 6, timeout=20, what="six messages")
        await wait_for(lambda: _all_sent(db), what="every row marked sent")
        # A marker queued now is sent on a later pass than any of the six: once it has arrived, a
        # message sent twice would have arrived before it.
        async with db.transaction() as session:
            await mail.queue(session, a_note("marker@example.org", about="note:marker"))
        await wait_for(lambda: len(server.messages()) >= 7, timeout=20, what="the marker")
    finally:
        running.cancel()
        server.stop()
    delivered = [m for m in server.messages() if str(m["To"]) != "marker@example.org"]
    ids = [m["Message-ID"] for m in delivered]
    assert len(server.messages()) == 7 and len(ids) == 6 and len(set(ids)) == 6
    assert sorted(str(m["To"]) for m in delivered) == sorted(f"person{n}@example.org" for n in range(6))


async def _all_tried(db: Database) -> bool:
    return all(row["attempts"] >= 1 and row["last_error"] for row in await rows(db))


async def _all_sent(db: Database) -> bool:
    return all(row["sent_at"] is not None for row in await rows(db))


async def test_a_message_that_keeps_failing_is_given_up_visibly(db, tmp_path):
    server = MailServer(tmp_path / "caught")
    server.start()
    server.stop()
    sender = sender_for(db, server.url, mail_retry_seconds=0.01, mail_max_attempts=2)
    async with db.transaction() as session:
        await mail.queue(session, a_note())
    await sender.send_due()
    await asyncio.sleep(0.05)
    await sender.send_due()
    [row] = await rows(db)
    assert row["failed_at"] is not None and row["attempts"] == 2 and "Connect" in row["last_error"]
    assert row["to_address"] is None and row["context"] is None
    assert await sender.send_due() == 0
    from forum_shared.mail.sender import counts

    assert await counts(db) == {"waiting": 0, "failed": 1}


async def test_a_message_sent_again_after_a_crash_is_the_same_message(db):
    async with db.transaction() as session:
        message_id = await mail.queue(session, a_note())
    sender = sender_for(db, "smtp://127.0.0.1:1")
    [row] = await rows(db)
    first, again = sender.compose(row), sender.compose(row)
    assert first["Message-ID"] == again["Message-ID"] == f"<{message_id}@forum.example>"


async def test_after_unsubscribing_that_topic_is_not_queued_but_direct_answers_still_are(db):
    async with db.transaction() as session:
        await mail.queue(session, a_note(topic="notes.news", about="note:waiting"))
        assert await mail.suppress(session, mail.address_hash("Sam@Example.org"), "notes.news")
        assert not await mail.suppress(session, mail.address_hash("sam@example.org"), "notes.news")
        assert await mail.queue(session, a_note(topic="notes.news")) is None
        assert await mail.queue(session, a_note(topic="notes.other")) is not None
        assert await mail.queue(session, a_note(topic=None)) is not None
        assert [m["topic"] for m in await mail.unsent(session)] == ["notes.other", None]


async def test_erasure_leaves_only_the_confirmation_and_sent_rows_forget_the_address(db, mail_server):
    async with db.transaction() as session:
        await mail.queue(session, a_note(about="note:sent"))
    await sender_for(db, mail_server.url).send_due()
    async with db.transaction() as session:
        await mail.queue(session, a_note(about="note:unsent"))
        await mail.forget(session, "sam@example.org")
        await mail.queue(session, a_note(about="erasure confirmed"))
    remaining = await rows(db)
    assert sorted(r["about"] for r in remaining) == ["erasure confirmed", "note:sent"]
    assert [r["to_address"] for r in remaining if r["about"] == "note:sent"] == [None]


@pytest.mark.http
async def test_unsubscribing_takes_one_post_with_no_sign_in_and_a_bad_link_is_refused(tmp_path, db):
    kit = make_kit(db.url, "nats://127.0.0.1:1", secret_key=SECRET, public_url="http://test")
    kit.mail_topics["notes.news"] = "news about your notes"
    app = kit.create_app()
    link = sender_for(db, "smtp://127.0.0.1:1", public_url="http://test").unsubscribe_url(
        mail.address_hash("sam@example.org"), "notes.news"
    )
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://test") as client:
        page = await client.get(link)
        assert page.status_code == 200 and "Stop getting news about your notes?" in page.text
        done = await client.post(link, data={"List-Unsubscribe": "One-Click"})
        assert done.status_code == 200 and "You have unsubscribed" in done.text
        again = await client.post(link, data={"List-Unsubscribe": "One-Click"})
        assert again.status_code == 200
        bad = await client.post(link[:-3] + "xyz", data={"List-Unsubscribe": "One-Click"})
        assert bad.status_code == 400 and "not valid" in bad.text
    await kit.db.dispose()
    async with db.transaction() as session:
        assert await mail.queue(session, a_note(topic="notes.news")) is None


async def test_the_development_mail_page_lists_and_shows_what_this_service_sent(db, mail_server):
    async with db.transaction() as session:
        await mail.queue(session, a_note())
    await sender_for(db, mail_server.url).send_due()
    kit = make_kit(db.url, "nats://127.0.0.1:1", mail_folder=mail_server.folder)
    kit.title = "Notes"
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=kit.create_app()), base_url="http://test") as client:
        listing = await client.get("/dev/mail")
        assert listing.status_code == 200 and "Your note is saved" in listing.text
        name = listing.text.split('href="/dev/mail/')[1].split('"')[0]
        shown = await client.get(f"/dev/mail/{name}")
        assert shown.status_code == 200 and "Hello Sam," in shown.text and "note.ics" in shown.text
        html = await client.get(f"/dev/mail/{name}/html")
        assert "<li>It is kept safe</li>" in html.text
        assert "default-src 'none'" in html.headers["content-security-policy"]
        assert (await client.get("/dev/mail/../../etc/passwd")).status_code == 404
    await kit.db.dispose()
    production = make_kit(db.url, "nats://127.0.0.1:1", mail_folder=mail_server.folder, environment="production",
                          secret_key=SECRET)
    async with httpx.AsyncClient(transport=httpx.ASGITransport(app=production.create_app()),
                                 base_url="http://test") as client:
        assert (await client.get("/dev/mail")).status_code == 404
    await production.db.dispose()


def test_signed_links_refuse_tampering_expiry_and_other_purposes():
    later = datetime.now(UTC) + timedelta(hours=1)
    token = links.sign(SECRET, "manage-registration", "r1", later)
    assert links.read(SECRET, "manage-registration", token) == "r1"
    for secret, purpose, text, now in [
        ("another-secret", "manage-registration", token, None),
        (SECRET, "unsubscribe", token, None),
        (SECRET, "manage-registration", token[:-2] + "AA", None),
        (SECRET, "manage-registration", "not-a-token", None),
        (SECRET, "manage-registration", token + "é", None),
        (SECRET, "manage-registration", token, later + timedelta(seconds=1)),
    ]:
        with pytest.raises(links.LinkRefused):
            links.read(secret, purpose, text, now)


def test_a_member_pass_is_good_only_for_its_site_its_minutes_and_membership_key():
    key = member_passes.public_key_text(SECRET)
    pass_ = member_passes.issue(SECRET, "m-1", "https://meetings.example")
    assert member_passes.verify(key, pass_, "https://meetings.example") == "m-1"
    forged = member_passes.issue("someone-elses-secret-of-enough-length", "m-1", "https://meetings.example")
    for token, audience, now in [
        (pass_, "https://elsewhere.example", None),
        (forged, "https://meetings.example", None),
        (pass_ + "x", "https://meetings.example", None),
        (pass_, "https://meetings.example", datetime.now(UTC) + timedelta(minutes=11)),
    ]:
        with pytest.raises(links.LinkRefused):
            member_passes.verify(key, token, audience, now)
