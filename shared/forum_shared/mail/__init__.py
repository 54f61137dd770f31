"""Email from each service to its own people, as reliable as its events.

A use case asks for an email inside its unit of work, so the message commits with the change that
causes it, or not at all:

    async with unit_of_work(db, actor, "registration.added", f"meeting:{meeting_id}") as work:
        ...
        await work.send_email(Email(
            to=registration.contact_email, subject="You have a place at the forum meeting",
            template="registration_confirmed", about=f"registration:{registration_id}",
            context={"name": registration.name, "starts_at": meeting.starts_at.isoformat()},
            attachments=[Attachment("meeting.ics", "text/calendar", ics, {"method": "REQUEST"})],
        ))

The row waits in the email outbox (`forum_shared.tables.email_outbox`) until the service's
`MailSender` (`forum_shared.mail.sender`) renders and sends it, retrying with backoff while the mail
server is down. Its Message-ID comes from the row, so a message sent again after a crash is the
same message. Once sent, the row keeps what was sent, when and to whom (a hash of the address), but
no longer the address, the facts or the attachments.

`topic` names a kind of email a person may stop (e.g. "meetings.reminders"): such messages carry a
one-click unsubscribe (RFC 8058), and are not queued for an address that unsubscribed from that
topic. Direct answers to something the person did (a confirmation, a sign-in link) have no topic.
"""

from __future__ import annotations

import base64
import hashlib
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import delete, exists, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.logs import get_logger
from forum_shared.tables import email_outbox, email_suppressions

log = get_logger("forum.mail")


@dataclass(frozen=True)
class Attachment:
    filename: str
    content_type: str  # e.g. "text/calendar"
    data: bytes
    params: Mapping[str, str] = field(default_factory=dict)  # e.g. {"method": "REQUEST"} for a calendar

    def stored(self) -> dict[str, Any]:
        return {
            "filename": self.filename, "content_type": self.content_type, "params": dict(self.params),
            "data": base64.b64encode(self.data).decode(),
        }

    @classmethod
    def from_stored(cls, value: Mapping[str, Any]) -> Attachment:
        return cls(value["filename"], value["content_type"], base64.b64decode(value["data"]), value.get("params", {}))


@dataclass(frozen=True)
class Email:
    """One message to one person. `template` names `emails/<template>.txt` in the service's
    templates folder (an `emails/<template>.html` beside it is used for the HTML part, otherwise
    the text is laid out in the kit's HTML layout). `context` holds the facts the template shows,
    as JSON values (dates as ISO text: the `uk_time` and `uk_date` filters write them out)."""

    to: str
    subject: str
    template: str
    context: Mapping[str, Any] = field(default_factory=dict)
    about: str | None = None
    topic: str | None = None
    attachments: tuple[Attachment, ...] | list[Attachment] = ()


def address_hash(address: str) -> str:
    return hashlib.sha256(address.strip().lower().encode()).hexdigest()


async def queue(session: AsyncSession, email: Email, now: datetime | None = None) -> str | None:
    """Add `email` to the outbox inside the caller's transaction; returns its id, or None when the
    person unsubscribed from its topic (nothing is queued)."""
    now = now or datetime.now(UTC)
    to_hash = address_hash(email.to)
    if email.topic and await is_suppressed(session, to_hash, email.topic):
        log.info("email not queued: unsubscribed", topic=email.topic, about=email.about)
        return None
    message_id = str(uuid.uuid4())
    await session.execute(
        insert(email_outbox).values(
            id=message_id, to_address=email.to.strip(), to_hash=to_hash, about=email.about,
            template=email.template, subject=email.subject, topic=email.topic, context=dict(email.context),
            attachments=[a.stored() for a in email.attachments], queued_at=now, next_attempt_at=now, attempts=0,
        )
    )
    session.info["mail"] = True
    return message_id


async def is_suppressed(session: AsyncSession, to_hash: str, topic: str) -> bool:
    found = await session.scalar(
        select(exists().where(email_suppressions.c.to_hash == to_hash, email_suppressions.c.topic == topic))
    )
    return bool(found)


async def suppress(session: AsyncSession, to_hash: str, topic: str, now: datetime | None = None) -> bool:
    """Record an unsubscription, and drop unsent messages of that topic to that address; returns
    False if it was already recorded (unsubscribing twice is fine)."""
    if await is_suppressed(session, to_hash, topic):
        return False
    await session.execute(insert(email_suppressions).values(to_hash=to_hash, topic=topic, at=now or datetime.now(UTC)))
    await session.execute(
        delete(email_outbox).where(
            email_outbox.c.to_hash == to_hash, email_outbox.c.topic == topic, email_outbox.c.sent_at.is_(None)
        )
    )
    return True


async def resubscribe(session: AsyncSession, address: str, topic: str) -> bool:
    """Lift an unsubscription from `topic` (the person asked for that email again); True if there was one."""
    lifted = await session.execute(
        delete(email_suppressions).where(
            email_suppressions.c.to_hash == address_hash(address), email_suppressions.c.topic == topic
        )
    )
    return bool(getattr(lifted, "rowcount", 0))


async def forget(session: AsyncSession, address: str) -> None:
    """On erasure: drop unsent messages to `address`, and what sent ones still hold. Call it before
    queueing the message that confirms the erasure, which is then the only one left to send."""
    to_hash = address_hash(address)
    mine = email_outbox.c.to_hash == to_hash
    await session.execute(delete(email_outbox).where(mine, email_outbox.c.sent_at.is_(None)))
    await session.execute(update(email_outbox).where(mine).values(to_address=None, context=None, attachments=None))
    await session.execute(delete(email_suppressions).where(email_suppressions.c.to_hash == to_hash))


async def unsent(session: AsyncSession, about: str | None = None) -> list[dict[str, Any]]:
    """Messages waiting to be sent (for tests and operators), oldest first."""
    query = select(email_outbox).where(email_outbox.c.sent_at.is_(None)).order_by(email_outbox.c.queued_at)
    if about is not None:
        query = query.where(email_outbox.c.about == about)
    return [dict(row._mapping) for row in (await session.execute(query)).all()]
