"""A local mail catcher: an SMTP server (aiosmtpd) that keeps every message it is given as a .eml
file in a folder instead of delivering it. `forum up` runs one, so a newcomer can read the email a
registration sends on any service's /dev/mail page; the tests use one as their real SMTP server.
"""

from __future__ import annotations

import os
import time
import uuid
from email import policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path
from typing import Any

from aiosmtpd.controller import Controller


class KeepInFolder:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        name = f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:8]}.eml"
        partial = self.folder / f".{name}.part"
        partial.write_bytes(envelope.original_content or envelope.content)
        os.replace(partial, self.folder / name)  # whole files only, for readers of the folder
        return "250 Message kept"


class MailCatcher:
    """Start with `start()`, stop with `stop()`; `url` is what services put in MAIL_URL."""

    def __init__(self, folder: Path, host: str = "127.0.0.1", port: int = 0) -> None:
        self.folder = folder
        self.host = host
        self.port = port
        self._controller: Controller | None = None

    @property
    def url(self) -> str:
        return f"smtp://{self.host}:{self.port}"

    def start(self) -> MailCatcher:
        if not self.port:
            from forum_shared.local import free_port

            self.port = free_port(self.host)
        self._controller = Controller(KeepInFolder(self.folder), hostname=self.host, port=self.port)
        self._controller.start()
        return self

    def stop(self) -> None:
        if self._controller is not None:
            self._controller.stop()
            self._controller = None


def read_message(path: Path) -> EmailMessage:
    with path.open("rb") as handle:
        message: EmailMessage = BytesParser(policy=policy.default).parse(handle)
        return message


def kept_messages(folder: Path) -> list[tuple[Path, EmailMessage]]:
    """Every message in the folder, newest first."""
    if not folder.is_dir():
        return []
    files = sorted(folder.glob("*.eml"), reverse=True)
    return [(path, read_message(path)) for path in files]
