"""Email pages every service has: one-click unsubscribe (RFC 8058), and in development the mail the
local catcher kept (`/dev/mail`), so a newcomer can read what a registration sends."""

from __future__ import annotations

import re
from email.message import EmailMessage
from pathlib import Path

from fastapi import APIRouter, Request
from starlette.responses import Response

from forum_shared import use_cases
from forum_shared.deps import DbDep
from forum_shared.errors import NotFound
from forum_shared.identity import links
from forum_shared.mail.catcher import kept_messages, read_message
from forum_shared.mail.sender import UNSUBSCRIBE
from forum_shared.ui.templating import render

pages = APIRouter(include_in_schema=False)

MESSAGE_NAME = re.compile(r"^[0-9]{8}-[0-9]{6}-[0-9a-f]{8}\.eml$")


def _topic_and_hash(request: Request, token: str) -> tuple[str, str]:
    secret = request.app.state.kit.settings.secret_key.get_secret_value()
    topic, _, to_hash = links.read(secret, UNSUBSCRIBE, token).partition(" ")
    return topic, to_hash


def _topic_label(request: Request, topic: str) -> str:
    label: str = request.app.state.kit.mail_topics.get(topic, topic)
    return label


@pages.get("/unsubscribe/{token}")
async def unsubscribe_page(request: Request, token: str) -> Response:
    try:
        topic, _ = _topic_and_hash(request, token)
    except links.LinkRefused as refused:
        return render(request, "kit/unsubscribe.html", refused=str(refused), status_code=400)
    return render(request, "kit/unsubscribe.html", topic=_topic_label(request, topic), token=token)


@pages.post("/unsubscribe/{token}")
async def unsubscribe(request: Request, token: str, db: DbDep) -> Response:
    """One POST stops that kind of email, from the mail program's button (body
    `List-Unsubscribe=One-Click`) or this page's: no sign-in, no CSRF token, the link is the proof."""
    try:
        topic, to_hash = _topic_and_hash(request, token)
    except links.LinkRefused as refused:
        return render(request, "kit/unsubscribe.html", refused=str(refused), status_code=400)
    await use_cases.unsubscribe(db, to_hash, topic)
    return render(request, "kit/unsubscribe.html", topic=_topic_label(request, topic), done=True)


def _mail_folder(request: Request) -> Path:
    settings = request.app.state.kit.settings
    if not settings.is_development or settings.mail_folder is None:
        raise NotFound("There is no development mail here: it is shown only in development, with a mail catcher.")
    folder: Path = settings.mail_folder
    return folder


def _parts(message: EmailMessage) -> tuple[str, str | None, list[str]]:
    text = message.get_body(("plain",))
    html = message.get_body(("html",))
    attachments = [part.get_filename() or "attachment" for part in message.iter_attachments()]
    return (
        text.get_content() if text is not None else "",
        html.get_content() if html is not None else None,
        attachments,
    )


@pages.get("/dev/mail")
async def dev_mail(request: Request) -> Response:
    """Mail this service sent (or everyone's, with ?all=1), newest first."""
    folder = _mail_folder(request)
    everyone = request.query_params.get("all") == "1"
    title = request.app.state.kit.title
    messages = [
        (path.name, message) for path, message in kept_messages(folder)
        if everyone or message.get("X-Forum-Service") == title
    ]
    return render(request, "kit/dev_mail.html", messages=messages[:200], everyone=everyone)


def _message_at(request: Request, name: str) -> EmailMessage:
    folder = _mail_folder(request)
    if not MESSAGE_NAME.match(name) or not (folder / name).is_file():
        raise NotFound(f"There is no message {name} in the development mail.")
    return read_message(folder / name)


@pages.get("/dev/mail/{name}")
async def dev_mail_message(request: Request, name: str) -> Response:
    message = _message_at(request, name)
    text, html, attachments = _parts(message)
    return render(request, "kit/dev_mail_message.html", name=name, message=message, text=text,
                  has_html=html is not None, attachments=attachments)


@pages.get("/dev/mail/{name}/html")
async def dev_mail_html(request: Request, name: str) -> Response:
    """The HTML part as a mail program would show it: its own styles, no scripts."""
    _, html, _ = _parts(_message_at(request, name))
    if html is None:
        raise NotFound("This message has no HTML part.")
    return Response(html, media_type="text/html", headers={
        "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; img-src data:; "
                                   "frame-ancestors 'none'; form-action 'none'",
        "Cache-Control": "no-store",
    })
