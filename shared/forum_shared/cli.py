"""The `forum` command: `forum up` runs the whole forum locally; `forum demo` fills a running local
forum with demo data; `forum governors watch` follows escalations (`add` gives a governor a place);
`forum nats` makes keys and the NATS accounts; `forum replay` has a service read its history again;
`forum admin create` makes a service's first administrator."""

from __future__ import annotations

import argparse
import asyncio
import sys


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

    args = parser.parse_args(argv)
    if args.command == "up":
        return up.run(args)
    if args.command == "admin":
        return admin_command.run(args)
    if args.command == "demo":
        return _demo(args)
    return federation.run(args)


def _demo(args) -> int:
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
        print(f"forum demo: {type(exc).__name__}: {exc} (is the forum running? start it with `make up`)", file=sys.stderr)
        return 1
    print(demo.save_accounts(data, password).read_text())
    return 0


if __name__ == "__main__":
    sys.exit(main())
