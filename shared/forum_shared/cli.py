"""The `forum` command: `forum up` runs the whole forum locally; `forum demo` fills a running local
forum with demo data; `forum governors watch` follows escalations; `forum admin create` makes a
service's first administrator."""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
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

    governors = commands.add_parser("governors", help="for governors").add_subparsers(dest="what", required=True)
    w = governors.add_parser("watch", help="follow escalations as they are raised, catching up after being away")
    w.add_argument("--name", required=True, help="your name; your place in the list is kept under it")
    w.add_argument("--nats-url", default="nats://127.0.0.1:4222", help="NATS server(s), comma-separated")
    w.add_argument("--json", action="store_true", help="one JSON object per line, for programs")
    w.add_argument("--new-only", action="store_true", help="on first use, skip escalations raised before now")
    w.add_argument("--stream", default=None, help="stream to read (default FEEDBACK)")
    w.add_argument("--prefix", default="", help="subject prefix when escalations are imported from another account")
    w.add_argument("--creds", default=None, help="NATS credentials file")

    from forum_shared.ui import admin_command

    admin_command.add_arguments(commands.add_parser("admin", help="sign-in accounts of a service"))

    args = parser.parse_args(argv)
    if args.command == "up":
        return up.run(args)
    if args.command == "admin":
        return admin_command.run(args)
    if args.command == "demo":
        return _demo(args)
    return _watch(args)


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


def _watch(args) -> int:
    from forum_shared.governors import as_json, readable, watch

    def show(envelope) -> None:
        print(as_json(envelope) if args.json else readable(envelope) + "\n", flush=True)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        if not args.json:
            print(f"Watching escalations as {args.name}. Press Ctrl-C to stop.\n", flush=True)
        options = {"user_credentials": args.creds} if args.creds else {}
        await watch(
            args.name,
            [u.strip() for u in args.nats_url.split(",")],
            show,
            stream=args.stream,
            prefix=args.prefix,
            new_only=args.new_only,
            stop=stop,
            connect_options=options,
        )

    try:
        asyncio.run(run())
    except Exception as exc:  # noqa: BLE001 - a person reads this, not a traceback
        print(f"forum governors watch: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
