"""Demo data: a realistic, fictional forum in Cambridgeshire and Peterborough, so a first
`make up` shows a living forum rather than empty pages.

`forum up` loads it the first time it starts on an empty data folder (`--no-demo` skips it);
`forum demo` loads it into a forum that is already running. Each service fills itself through its
own JSON API (`<service>/demo.py`, `load(client, today, earlier)`), in the order events flow:
signposting's community groups and membership's role holders reach meetings, which waits for them
(`earlier` is what the services before it made), and meetings' pop-up forums reach feedback. The
loader signs in with an administrator API token that is revoked as soon as the service is filled.

It also makes demo accounts on every service (an administrator and a staff member, and a governor
on feedback) with one random password, written to `<data>/demo-accounts.txt` and shown by
`forum up`. Everyone and everything in the demo is made up.
"""

from __future__ import annotations

import asyncio
import importlib
import os
import secrets
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from forum_shared import use_cases
from forum_shared.audit import SYSTEM
from forum_shared.db import Database
from forum_shared.identity import accounts, passwords
from forum_shared.tables import outbox

ORDER = ("signposting", "membership", "meetings", "feedback")
PEOPLE = (
    ("admin", "admin@forum.example", "Alex Morgan"),
    ("staff", "staff@forum.example", "Sam Okafor"),
    ("governor", "governor@forum.example", "Gita Holt"),
)
GOVERNORS_SIGN_IN_TO = ("feedback",)
ACCOUNTS_FILE = "demo-accounts.txt"
MARKER = "demo-loaded"


def people_for(service: str) -> list[tuple[str, str, str]]:
    return [p for p in PEOPLE if p[0] != "governor" or service in GOVERNORS_SIGN_IN_TO]


def accounts_text(password: str) -> str:
    lines = ["Demo accounts (made-up people, for trying the forum on this machine only):", ""]
    for role, email, name in PEOPLE:
        where = "every service" if role != "governor" else " and ".join(GOVERNORS_SIGN_IN_TO) + " only"
        lines.append(f"  {email:<24} {name:<12} {role:<9} ({where})")
    lines += ["", f"  Password for all of them: {password}", "  Sign in with the link at the top of any page."]
    return "\n".join(lines) + "\n"


async def _accounts_and_token(db: Database, service: str, password_hash: str) -> tuple[str, str]:
    for role, email, name in people_for(service):
        async with db.read() as session:
            existing = await accounts.find_by_email(session, email)
        if existing is None:
            await use_cases.create_account(db, SYSTEM, email=email, name=name, password_hash=password_hash, role=role)
        else:  # loaded again: the password printed now is the one that works
            await use_cases.change_account(db, SYSTEM, existing["id"], password_hash=password_hash)
    row, token = await use_cases.create_token(db, SYSTEM, name="Demo data loader", role="admin")
    return row["id"], token


async def _revoke(db: Database, token_id: str) -> None:
    await use_cases.revoke_token(db, SYSTEM, token_id)


async def _events_sent(db: Database, timeout: float = 30) -> None:
    """Wait until the service's outbox has published everything, so the next service hears it."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        async with db.read() as session:
            waiting = await session.scalar(
                select(func.count()).select_from(outbox).where(outbox.c.published_at.is_(None))
            )
        if not waiting:
            return
        await asyncio.sleep(0.2)


async def load(
    urls: dict[str, str],
    database_urls: dict[str, str],
    *,
    today: date | None = None,
    password: str | None = None,
    report: Callable[[str], object] = print,
) -> str:
    """Fill each running service (base URL in `urls`) through its API; returns the demo password."""
    today = today or date.today()
    password = password or "-".join(secrets.token_hex(3) for _ in range(3))
    password_hash = await passwords.hash_password(password)
    made: dict[str, dict[str, Any]] = {}
    for service in ORDER:
        db = Database(database_urls[service], source=f"/forum/{service}", pool_size=2)
        try:
            token_id, token = await _accounts_and_token(db, service, password_hash)
            headers = {"authorization": f"Bearer {token}", "accept": "application/json"}
            try:
                async with httpx.AsyncClient(base_url=urls[service], headers=headers, timeout=60) as client:
                    loader = importlib.import_module(f"{service}.demo")
                    made[service] = await loader.load(client, today, dict(made))
            finally:
                await _revoke(db, token_id)
            await _events_sent(db)
        finally:
            await db.dispose()
        summary = ", ".join(f"{len(v)} {k}" for k, v in made[service].items() if isinstance(v, list | dict))
        report(f"  demo: {service} filled{': ' + summary if summary else ''}")
    return password


def save_accounts(data: Path, password: str) -> Path:
    path = data / ACCOUNTS_FILE
    path.write_text(accounts_text(password))
    os.chmod(path, 0o600)
    (data / MARKER).write_text(date.today().isoformat() + "\n")
    return path
