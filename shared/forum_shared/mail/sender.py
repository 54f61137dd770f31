"""The mail sender: each service's background task that renders and sends its email outbox.

It takes the oldest due messages, claims each for a few minutes (so replicas never send the same
one at once, and a crashed sender's claim runs out), renders the template, sends it, and marks it
sent, clearing the address and facts. A failure is tried again with backoff (30 s, doubling, at
most an hour apart) until `mail_max_attempts`, then the message is marked failed, logged and
counted (`forum_emails_failed`), and cleared the same way.

The Message-ID is `<row id@domain>`: if a sender dies after the server took a message and before it
was marked, the message is sent again with the same Message-ID, which mail systems treat as the
same message.
"""

from __future__ import annotations

import asyncio
import html
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime, timedelta
from email.headerregistry import Address
from email.message import EmailMessage
from email.utils import format_datetime, parseaddr
from pathlib import Path
from typing import Any, Protocol
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import aiosmtplib
from jinja2 import ChoiceLoader, Environment, FileSystemLoader, StrictUndefined, TemplateNotFound, select_autoescape
from markupsafe import Markup
from sqlalchemy import func, select, update

from forum_shared.config import ServiceSettings
from forum_shared.db import Database
from forum_shared.identity import links
from forum_shared.logs import get_logger
from forum_shared.mail import Attachment
from forum_shared.tables import email_outbox
from forum_shared.tasks import stop_if_cancelled

log = get_logger("forum.mail")

KIT_MAIL_TEMPLATES = Path(__file__).parent / "templates"
LONDON = ZoneInfo("Europe/London")
CLAIM = timedelta(minutes=5)
MAX_BACKOFF = timedelta(hours=1)
UNSUBSCRIBE = "unsubscribe"
UNSUBSCRIBE_LIFETIME = timedelta(days=3 * 365)


class Transport(Protocol):
    async def send(self, message: EmailMessage) -> None: ...


class Smtp:
    """SMTP by aiosmtplib, from a URL: smtp://[user:password@]host[:port][?starttls=required] or smtps://…"""

    def __init__(self, url: str, timeout: float = 30.0) -> None:
        parts = urlsplit(url)
        if parts.scheme not in ("smtp", "smtps") or not parts.hostname:
            raise ValueError("the mail URL must look like smtp://host:port or smtps://user:password@host:465")
        query = parse_qs(parts.query)
        self.options: dict[str, Any] = {
            "hostname": parts.hostname,
            "port": parts.port or (465 if parts.scheme == "smtps" else 25),
            "username": parts.username,
            "password": parts.password,
            "use_tls": parts.scheme == "smtps",
            # None: STARTTLS when the server offers it; required: refuse to send without it.
            "start_tls": True if query.get("starttls") == ["required"] else None,
            "timeout": timeout,
        }

    async def send(self, message: EmailMessage) -> None:
        await aiosmtplib.send(message, **self.options)


def uk_time(value: str | datetime | None) -> str:
    """'Tuesday 3 March 2026 at 2pm' (or 2:30pm), in UK time, as NHS.UK writes dates."""
    if not value:
        return ""
    local = (datetime.fromisoformat(value) if isinstance(value, str) else value).astimezone(LONDON)
    minutes = f":{local:%M}" if local.minute else ""
    hour = f"{local.hour % 12 or 12}{minutes}{'am' if local.hour < 12 else 'pm'}"
    return f"{local:%A} {local.day} {local:%B %Y} at {hour}"


def uk_date(value: str | datetime | None) -> str:
    """'Tuesday 3 March 2026'."""
    if not value:
        return ""
    parsed = datetime.fromisoformat(value) if isinstance(value, str) else value
    if isinstance(parsed, datetime) and parsed.tzinfo is not None:
        parsed = parsed.astimezone(LONDON)
    return f"{parsed:%A} {parsed.day} {parsed:%B %Y}"


URL = re.compile(r"https?://[^\s<>\"]+")


def text_to_html(text: str) -> Markup:
    """The plain-text body as simple HTML: paragraphs, '- ' bullet lists, links."""

    def inline(line: str) -> str:
        escaped = html.escape(line)
        return URL.sub(lambda m: f'<a href="{m.group(0)}">{m.group(0)}</a>', escaped)

    blocks = []
    for block in re.split(r"\n\s*\n", text.strip()):
        lines = [line.rstrip() for line in block.splitlines() if line.strip()]
        if lines and all(line.lstrip().startswith("- ") for line in lines):
            items = "".join(f"<li>{inline(line.lstrip()[2:])}</li>" for line in lines)
            blocks.append(f"<ul>{items}</ul>")
        else:
            blocks.append(f"<p>{'<br>'.join(inline(line) for line in lines)}</p>")
    return Markup("\n".join(blocks))  # every piece above was escaped


class MailSender:
    """Sends one service's email outbox. Started by `ServiceKit.running` when `mail_url` is set."""

    def __init__(
        self,
        db: Database,
        settings: ServiceSettings,
        *,
        service_title: str,
        templates: Path | None,
        transport: Transport | None = None,
        batch_size: int = 20,
    ) -> None:
        self.db = db
        self.settings = settings
        self.service_title = service_title
        url = settings.mail_url.get_secret_value() if settings.mail_url else None
        self.transport = transport or (Smtp(url) if url else None)
        self.batch_size = batch_size
        self.sender = parseaddr(settings.mail_from)
        self.domain = self.sender[1].rpartition("@")[2] or "localhost"
        loaders = [FileSystemLoader(templates)] if templates else []
        self.templates = Environment(
            loader=ChoiceLoader([*loaders, FileSystemLoader(KIT_MAIL_TEMPLATES)]),
            autoescape=select_autoescape(["html"]),
            undefined=StrictUndefined,
            keep_trailing_newline=True,
        )
        self.templates.filters.update(uk_time=uk_time, uk_date=uk_date)
        self._wake = asyncio.Event()
        self.on_sent: list[Callable[[int], None]] = []
        db.on_commit(lambda _queued: self.wake(), when="mail")

    @property
    def base_url(self) -> str:
        return (self.settings.public_url or f"http://{self.settings.host}:{self.settings.port}").rstrip("/")

    def wake(self) -> None:
        self._wake.set()

    async def run(self) -> None:
        if self.transport is None:
            return
        while True:
            stop_if_cancelled()
            try:
                sent = await self.send_due()
            except Exception as exc:  # noqa: BLE001 - the database was unreachable: try again later
                stop_if_cancelled()
                log.warning("mail sender could not read its outbox; will retry", error=str(exc))
                sent = 0
            if sent < self.batch_size:
                try:
                    async with asyncio.timeout(self.settings.mail_poll_seconds):
                        await self._wake.wait()
                except TimeoutError:
                    pass
                self._wake.clear()

    async def send_due(self, now: datetime | None = None) -> int:
        """Send the messages that are due; returns how many were sent."""
        assert self.transport is not None, "no mail_url: nothing can be sent"
        now = now or datetime.now(UTC)
        rows = await self._claim(now)
        sent = 0
        for row in rows:
            try:
                message = self.compose(row)
                await self.transport.send(message)
            except Exception as exc:  # noqa: BLE001 - any failure: this message waits and is tried again
                await self._failed(row, exc)
                continue
            await self._sent(row)
            sent += 1
        if sent:
            for hook in self.on_sent:
                hook(sent)
        return sent

    async def _claim(self, now: datetime) -> list[Mapping[str, Any]]:
        async with self.db.transaction() as session:
            query = (
                select(email_outbox)
                .where(email_outbox.c.sent_at.is_(None), email_outbox.c.failed_at.is_(None),
                       email_outbox.c.next_attempt_at <= now)
                .order_by(email_outbox.c.queued_at, email_outbox.c.id)
                .limit(self.batch_size)
            )
            if not self.db.is_sqlite:
                query = query.with_for_update(skip_locked=True)
            rows: list[Mapping[str, Any]] = [dict(row._mapping) for row in (await session.execute(query)).all()]
            if rows:
                await session.execute(
                    update(email_outbox)
                    .where(email_outbox.c.id.in_([row["id"] for row in rows]))
                    .values(next_attempt_at=now + CLAIM)
                )
        return rows

    async def _sent(self, row: Mapping[str, Any]) -> None:
        async with self.db.transaction() as session:
            # The address goes now, from the database's files too (it may confirm an erasure).
            self.db.forget_after_commit(session)
            await session.execute(
                update(email_outbox)
                .where(email_outbox.c.id == row["id"])
                .values(sent_at=datetime.now(UTC), attempts=row["attempts"] + 1, last_error=None,
                        to_address=None, context=None, attachments=None)
            )
        log.debug("email sent", message_id=row["id"], template=row["template"], about=row["about"])

    async def _failed(self, row: Mapping[str, Any], exc: Exception) -> None:
        attempts = row["attempts"] + 1
        now = datetime.now(UTC)
        give_up = attempts >= self.settings.mail_max_attempts
        delay = min(timedelta(seconds=self.settings.mail_retry_seconds * 2 ** (attempts - 1)), MAX_BACKOFF)
        async with self.db.transaction() as session:
            if give_up:
                self.db.forget_after_commit(session)
            await session.execute(
                update(email_outbox)
                .where(email_outbox.c.id == row["id"])
                .values(attempts=attempts, last_error=f"{type(exc).__name__}: {exc}"[:2000],
                        next_attempt_at=now + delay, failed_at=now if give_up else None,
                        # A message given up keeps no more than one sent: no address, facts or attachments.
                        **({"to_address": None, "context": None, "attachments": None} if give_up else {}))
            )
        if give_up:
            log.error("email given up", message_id=row["id"], template=row["template"], attempts=attempts,
                      error=str(exc))
        else:
            log.warning("email not sent; will retry", message_id=row["id"], attempts=attempts,
                        retry_in=delay.total_seconds(), error=str(exc))

    def unsubscribe_url(self, to_hash: str, topic: str) -> str:
        token = links.sign(self._secret, UNSUBSCRIBE, f"{topic} {to_hash}", datetime.now(UTC) + UNSUBSCRIBE_LIFETIME)
        return f"{self.base_url}/unsubscribe/{token}"

    @property
    def _secret(self) -> str:
        return self.settings.secret_key.get_secret_value()

    def _signed_link(self, path: str, purpose: str, value: str, expires: str) -> str:
        return f"{self.base_url}{path}{links.sign(self._secret, purpose, value, datetime.fromisoformat(expires))}"

    def compose(self, row: Mapping[str, Any]) -> EmailMessage:
        """The message for an outbox row: text and HTML parts, attachments, and the headers."""
        unsubscribe = self.unsubscribe_url(row["to_hash"], row["topic"]) if row["topic"] else None
        context = {
            **(row["context"] or {}),
            "base_url": self.base_url, "service_title": self.service_title, "unsubscribe_url": unsubscribe,
            "subject": row["subject"], "signed_link": self._signed_link,
        }
        name = f"emails/{row['template']}"
        text = self.templates.get_template(f"{name}.txt").render(context).strip() + "\n"
        if unsubscribe:
            text += f"\nTo stop these emails, go to {unsubscribe}\n"
        try:
            html_body = self.templates.get_template(f"{name}.html").render(context)
        except TemplateNotFound:
            html_body = self.templates.get_template("kit/emails/layout.html").render(
                context, body=text_to_html(text)
            )
        message = EmailMessage()
        message["Subject"] = row["subject"]
        message["From"] = Address(self.sender[0], addr_spec=self.sender[1]) if self.sender[0] else self.sender[1]
        message["To"] = row["to_address"]
        if self.settings.mail_reply_to:
            message["Reply-To"] = self.settings.mail_reply_to
        message["Date"] = format_datetime(datetime.now(UTC))
        message["Message-ID"] = f"<{row['id']}@{self.domain}>"
        message["X-Forum-Service"] = self.service_title
        if unsubscribe:
            message["List-Unsubscribe"] = f"<{unsubscribe}>"
            message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        else:
            message["Auto-Submitted"] = "auto-generated"
        message.set_content(text)
        message.add_alternative(html_body, subtype="html")
        for stored in row["attachments"] or []:
            attachment = Attachment.from_stored(stored)
            maintype, _, subtype = attachment.content_type.partition("/")
            message.add_attachment(attachment.data, maintype=maintype, subtype=subtype, filename=attachment.filename,
                                   params=dict(attachment.params))
        return message


async def counts(db: Database) -> dict[str, int]:
    """How many messages wait to be sent, and how many were given up (for metrics and operators)."""
    async with db.read() as session:
        waiting = await session.scalar(
            select(func.count()).where(email_outbox.c.sent_at.is_(None), email_outbox.c.failed_at.is_(None))
        )
        failed = await session.scalar(select(func.count()).where(email_outbox.c.failed_at.is_not(None)))
    return {"waiting": waiting or 0, "failed": failed or 0}
