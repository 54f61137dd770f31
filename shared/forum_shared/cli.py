"""The `forum` command: `forum up` runs the whole forum locally; `forum demo` fills a running local
forum with demo data; `forum governors watch` follows escalations (`add` gives a governor a place);
`forum nats` makes keys and the NATS accounts; `forum replay` has a service read its history again;
`forum announce` has an owner announce again what others keep from its events; `forum admin create`
makes a service's first administrator."""

from __future__ import annotations

import argparse
import asyncio
import sys

from forum_shared.identity.principal import TOKEN_ROLES


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="forum", description="The Partnership Forum.")
    commands = parser.add_subparsers(dest="command", required=True)

    from forum_shared import up

    up.add_arguments(commands.add_parser("up", help="run the whole forum on this machine"))

    d = commands.add_parser("demo", help="fill the forum running on this machine (forum up) with demo data")
    d.add_argument("--data", default="var", help="the data folder the forum runs on (default var/)")
    d.add_argument("--host", default="127.0.0.1", help="address the services listen on")
    for name, port in up.SERVICES.items():
        d.add_argument(f"--{name}-port", type=int, default=port, help=f"port of the {name} service")

    from forum_shared.federation import commands as federation

    federation.add_arguments(commands)

    from forum_shared.ui import admin_command

    admin_command.add_arguments(commands.add_parser("admin", help="sign-in accounts of a service"))

    t = commands.add_parser("token", help="API tokens for programs").add_subparsers(dest="what", required=True)
    tc = t.add_parser("create", help="make an API token (shown once) for a program of a partner organisation")
    tc.add_argument("--service", required=True, help="the service it calls, e.g. feedback")
    tc.add_argument("--name", required=True, help="what it is for, e.g. 'SUN Network import'")
    tc.add_argument("--role", default="partner", choices=TOKEN_ROLES,
                    help="partner (the default: sends what partners send), staff, governor or admin")
    tc.add_argument("--data", default=None, help="the forum on this machine (forum up's data folder, e.g. var)")
    tc.add_argument("--database-url", default=None, help="the service's database, instead of its settings")

    a = commands.add_parser("announce", help="have a service announce again, as events, what other services "
                            "keep from it (for a partner that joined after the streams dropped the first ones)")
    a.add_argument("service", help="the owner, e.g. signposting (its community groups) or membership (role holders)")
    a.add_argument("--data", default=None, help="the forum on this machine (forum up's data folder, e.g. var)")
    a.add_argument("--database-url", default=None, help="the service's database, instead of its settings")

    args = parser.parse_args(argv)
    if args.command == "up":
        return up.run(args)
    if args.command == "admin":
        return admin_command.run(args)
    if args.command == "demo":
        return _demo(args)
    if args.command == "token":
        return _token(args)
    if args.command == "announce":
        return _announce(args)
    return federation.run(args)


def _demo(args: argparse.Namespace) -> int:
    from pathlib import Path

    from forum_shared import demo, up

    data = Path(args.data).resolve()
    if (data / demo.MARKER).exists():
        print(
            f"forum demo: the forum in {data} has its demo data already (its accounts are in "
            f"{data / demo.ACCOUNTS_FILE}). To start again, stop the forum and remove {data}.",
            file=sys.stderr,
        )
        return 2
    urls = {name: f"http://{args.host}:{getattr(args, f'{name}_port')}" for name in up.SERVICES}
    try:
        password = asyncio.run(demo.load(urls, up.database_urls(data)))
    except Exception as exc:  # noqa: BLE001 - a person reads this, not a traceback
        print(f"forum demo: {type(exc).__name__}: {exc} (is the forum running? start it with `make up`)",
              file=sys.stderr)
        return 1
    print(demo.save_accounts(data, password).read_text())
    return 0


def _installed(command: str, service: str) -> bool:
    """Whether `service` is installed here; if not, says so for `forum <command>`."""
    import importlib

    try:
        importlib.import_module(f"{service}.config")
    except ModuleNotFoundError:
        print(f"forum {command}: there is no service called {service!r} installed here.", file=sys.stderr)
        return False
    return True


def _database_url(args: argparse.Namespace) -> str:
    """The service's database: `--database-url`, or the local forum's (`--data`), or its settings."""
    import importlib
    from pathlib import Path

    from forum_shared import up

    if args.database_url:
        return str(args.database_url)
    if args.data:
        return up.database_urls(Path(args.data).resolve())[args.service]
    return str(importlib.import_module(f"{args.service}.config").Settings().database_url)


def _announce(args: argparse.Namespace) -> int:
    """Record, in the owner's outbox, events that say again what other services keep from it; the
    running service publishes them. Consumers apply them as they apply the first ones."""
    import importlib

    from forum_shared.audit import SYSTEM
    from forum_shared.db import Database
    from forum_shared.events.event import source_of

    if not _installed("announce", args.service):
        return 2
    try:
        announcing = importlib.import_module(f"{args.service}.service.announcing")
    except ModuleNotFoundError:
        print(f"{args.service}: nothing to announce: no other service keeps anything from its events "
              "for longer than the streams keep them.")
        return 0

    async def announce() -> int:
        # Recorded as the service itself records its events: from its own source.
        db = Database(_database_url(args), source=source_of(args.service), pool_size=2)
        try:
            count: int = await announcing.announce(db, SYSTEM)
            return count
        finally:
            await db.dispose()

    try:
        count = asyncio.run(announce())
    except Exception as exc:  # noqa: BLE001 - a person reads this, not a traceback
        print(f"forum announce: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"{args.service}: {count} {announcing.WHAT} recorded; the running service publishes them.")
    return 0


def _token(args: argparse.Namespace) -> int:
    """Make an API token on a service's own database; it is printed this once and kept only hashed."""
    if not _installed("token", args.service):
        return 2
    try:
        token = asyncio.run(_create_token(args.service, _database_url(args), args.name, args.role))
    except Exception as exc:  # noqa: BLE001 - a person reads this, not a traceback
        print(f"forum token: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    print(f"API token for {args.name!r} ({args.role}) on the {args.service} service; it is shown only now:")
    print(token)
    return 0


async def _create_token(service: str, database_url: str, name: str, role: str) -> str:
    from forum_shared import use_cases
    from forum_shared.audit import SYSTEM
    from forum_shared.db import Database

    db = Database(database_url, pool_size=2)
    try:
        _row, token = await use_cases.create_token(db, SYSTEM, name=name, role=role)
        return token
    finally:
        await db.dispose()


if __name__ == "__main__":
    sys.exit(main())
