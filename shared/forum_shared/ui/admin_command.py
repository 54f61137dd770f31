"""`forum admin create`: the first administrator of a service, made from the command line.

It works on the service's own database, found from the service's settings (its environment
variables, e.g. FEEDBACK_DATABASE_URL), and brings that database up to date first when the service
would (`migrate_on_start`). The password is asked for twice, or read from standard input.
"""

from __future__ import annotations

import argparse
import asyncio
import getpass
import importlib
import sys
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from forum_shared import use_cases
from forum_shared.audit import SYSTEM
from forum_shared.config import ServiceSettings
from forum_shared.errors import ForumError
from forum_shared.identity import passwords
from forum_shared.identity.principal import ROLES
from forum_shared.ui.forms import friendly
from forum_shared.ui.schemas import AccountCreate


def add_arguments(parser: argparse.ArgumentParser) -> None:
    commands = parser.add_subparsers(dest="what", required=True)
    create = commands.add_parser("create", help="create an account (the first administrator)")
    create.add_argument("--service", required=True, help="the service it signs in to, e.g. feedback")
    create.add_argument("--email", required=True, help="the email address they sign in with")
    create.add_argument("--name", required=True, help="their full name, shown in the audit log")
    create.add_argument(
        "--role", default="admin", choices=ROLES, help="admin (the default), staff or governor"
    )
    create.add_argument("--password-stdin", action="store_true", help="read the password from standard input")
    create.add_argument(
        "--database-url", help="use this database instead of the one in the service's settings"
    )


def run(args: argparse.Namespace) -> int:
    try:
        settings: ServiceSettings = importlib.import_module(f"{args.service}.config").Settings()
    except ModuleNotFoundError:
        print(f"forum admin: there is no service called {args.service!r} installed here.", file=sys.stderr)
        return 2
    if args.database_url:
        settings = settings.model_copy(update={"database_url": args.database_url})
    password = _read_password(args.password_stdin)
    if password is None:
        return 2
    if problem := passwords.problem_with(password):
        print(f"forum admin: {problem}", file=sys.stderr)
        return 2
    try:
        AccountCreate(email=args.email, name=args.name, role=args.role, password=password)
    except ValidationError as exc:
        problems = "; ".join(friendly(AccountCreate, err) for err in exc.errors())
        print(f"forum admin: {problems}.", file=sys.stderr)
        return 2
    try:
        account = asyncio.run(_create(args, settings, password))
    except ForumError as exc:
        print(f"forum admin: {exc.message}", file=sys.stderr)
        return 1
    print(f"Created {account['role']} account for {account['name']} on the {args.service} service.")
    return 0


def _read_password(from_stdin: bool) -> str | None:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("Password (12 characters or more): ")
    if getpass.getpass("Password again: ") != first:
        print("forum admin: the passwords do not match.", file=sys.stderr)
        return None
    return first


async def _create(args: argparse.Namespace, settings: ServiceSettings, password: str) -> dict[str, Any]:
    from forum_shared.db import Database
    from forum_shared.migrations import upgrade

    db = Database(settings.database_url, source=f"/forum/{args.service}", pool_size=2)
    try:
        # A namespace package has no file, and so no migrations beside it.
        package_file = importlib.import_module(args.service).__file__
        migrations = Path(package_file).parent / "migrations" if package_file else None
        if settings.migrate_on_start and migrations is not None and migrations.is_dir():
            await upgrade(db.engine, migrations)
        password_hash = await passwords.hash_password(password)
        return await use_cases.create_account(
            db, SYSTEM, email=args.email, name=args.name, password_hash=password_hash, role=args.role
        )
    finally:
        await db.dispose()
