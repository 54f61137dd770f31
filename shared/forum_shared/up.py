"""`forum up`: the whole forum on one machine — a local nats-server with JetStream in the forum's
multi-organisation topology (an account per organisation, a key per service, no anonymous
connections; keys and configuration under var/nats) and the four services on their own ports with
SQLite files under var/. Ctrl-C stops all. The first start on an empty data folder fills it with
demo data (see `forum_shared.demo`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from forum_shared import demo
from forum_shared.federation.local import LocalFederation
from forum_shared.local import free_port, nats_server_binary, port_free
from forum_shared.mail.catcher import MailCatcher

SERVICES = {"membership": 8101, "meetings": 8102, "feedback": 8103, "signposting": 8104}
PREFERRED_NATS_PORT = 4322


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--nats-url", help="use this NATS server instead of starting one")
    parser.add_argument("--nats-port", type=int, default=PREFERRED_NATS_PORT, help="port for the local nats-server")
    parser.add_argument("--data", default="var", help="folder for databases and NATS data (default var/)")
    parser.add_argument("--host", default="127.0.0.1", help="address the services listen on")
    parser.add_argument("--no-demo", action="store_true", help="do not fill a new data folder with demo data")
    parser.add_argument("--mail-url", help="send email through this SMTP server (smtp://user:password@host:587) "
                        "instead of keeping it in the data folder's mail/ for the /dev/mail pages")
    for name, port in SERVICES.items():
        parser.add_argument(f"--{name}-port", type=int, default=port, help=f"port of the {name} service")


def database_urls(data: Path) -> dict[str, str]:
    return {name: f"sqlite+aiosqlite:///{data / name}.db" for name in SERVICES}


def run(args: argparse.Namespace) -> int:
    data = Path(args.data).resolve()
    data.mkdir(parents=True, exist_ok=True)
    ports = {name: getattr(args, f"{name}_port") for name in SERVICES}
    for name, port in ports.items():
        if not port_free(args.host, port):
            print(
                f"Port {port} is already in use, so the {name} service cannot start there.\n"
                f"Stop whatever is using it, or choose another port, e.g.\n"
                f"    make up ARGS='--{name}-port {port + 100}'",
                file=sys.stderr,
            )
            return 2

    databases = database_urls(data)
    fresh = not any((data / f"{name}.db").exists() for name in SERVICES) and not (data / demo.MARKER).exists()
    children: list[tuple[str, subprocess.Popen[bytes]]] = []
    nats_url = args.nats_url
    # With --nats-url, credentials come from the environment (MEETINGS_NATS_NKEY_SEED_FILE …).
    environments: dict[str, dict[str, str]] = {name: {f"{name.upper()}_NATS_URL": nats_url or ""} for name in SERVICES}
    if not nats_url:
        nats_port = args.nats_port if port_free("127.0.0.1", args.nats_port) else free_port("127.0.0.1")
        if nats_port != args.nats_port:
            print(f"Port {args.nats_port} is taken; the local NATS server uses port {nats_port} instead.")
        nats_url = f"nats://127.0.0.1:{nats_port}"
        federation = LocalFederation(data / "nats")
        config = federation.write(nats_port)
        (data / "nats" / "url").write_text(nats_url + "\n")
        log = open(data / "nats.log", "ab")  # noqa: SIM115 - kept open for the child's lifetime
        nats_process = subprocess.Popen(
            [nats_server_binary(), "-c", str(config), "-P", str(data / "nats" / "nats.pid")],
            stdout=log, stderr=log, start_new_session=True,
        )
        children.append(("nats-server", nats_process))
        _wait_port("127.0.0.1", nats_port, 10)
        asyncio.run(federation.declare_owner_streams(nats_url))
        environments = {name: federation.service_env(name, nats_url) for name in SERVICES}

    catcher = None
    if args.mail_url:
        mail_env = {"MAIL_URL": args.mail_url}
    else:
        # A local mail catcher: every email is kept as a .eml file, shown on each service's /dev/mail.
        catcher = MailCatcher(data / "mail").start()
        mail_env = {"MAIL_URL": catcher.url, "MAIL_FOLDER": str(data / "mail")}

    sites = json.dumps({name: f"http://{args.host}:{port}" for name, port in ports.items()})
    for name, port in ports.items():
        env = {
            **os.environ,
            f"{name.upper()}_PORT": str(port),
            f"{name.upper()}_HOST": args.host,
            f"{name.upper()}_DATABASE_URL": databases[name],
            f"{name.upper()}_FORUM_SITES": sites,
            **{f"{name.upper()}_{key}": value for key, value in mail_env.items()},
            **environments[name],
        }
        # Own sessions: Ctrl-C reaches only this process, which then stops the children in order.
        children.append((name, subprocess.Popen([sys.executable, "-m", name], env=env, start_new_session=True)))

    stopping = False

    def stop(*_args: object) -> None:
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGINT, stop)
    signal.signal(signal.SIGTERM, stop)
    try:
        for name, port in ports.items():
            if not _wait_http(f"http://{args.host}:{port}/health", 60, children):
                print(f"The {name} service did not start; see the messages above.", file=sys.stderr)
                return 1
        urls = {name: f"http://{args.host}:{port}" for name, port in ports.items()}
        if fresh and not args.no_demo:
            _load_demo(urls, databases, data)
        _print_welcome(args.host, ports, nats_url, data, local_nats=not args.nats_url, mail_kept=catcher is not None)
        while not stopping:
            for name, child in children:
                if child.poll() is not None:
                    print(f"{name} stopped unexpectedly (exit {child.returncode}); stopping the forum.",
                          file=sys.stderr)
                    return 1
            time.sleep(0.5)
        print("\nStopping the forum …")
        return 0
    finally:
        _stop_all(children)
        if catcher is not None:
            catcher.stop()


def _load_demo(urls: dict[str, str], databases: dict[str, str], data: Path) -> None:
    print("\nFilling the new forum with demo data (made-up people and groups) …", flush=True)
    try:
        password = asyncio.run(demo.load(urls, databases))
    except Exception as exc:  # noqa: BLE001 - the forum still runs; say what went wrong
        print(f"The demo data could not be loaded ({type(exc).__name__}: {exc}); the forum runs without it.")
        return
    demo.save_accounts(data, password)


def _print_welcome(
    host: str, ports: dict[str, int], nats_url: str, data: Path, local_nats: bool, mail_kept: bool
) -> None:
    print("\nThe Partnership Forum is running:\n")
    for name, port in ports.items():
        print(f"  {name:<12} http://{host}:{port}/      API docs: http://{host}:{port}/docs")
    print("\n  Open any of them in a browser: every page links to the other services.")
    demo_accounts = data / demo.ACCOUNTS_FILE
    if demo_accounts.exists():
        print("\n" + demo_accounts.read_text().rstrip())
    if mail_kept:
        print(f"\n  Email is not delivered: every message is kept in {data / 'mail'}, and each service shows the\n"
              f"  ones it sent at /dev/mail, e.g. http://{host}:{ports['meetings']}/dev/mail")
    print(f"\n  NATS         {nats_url}   data: {data}")
    if local_nats:
        print("  Each organisation has its own NATS account and each service its own key (in "
              f"{data / 'nats' / 'keys'}); nothing connects without one.")
    print("\nTo follow escalations as a governor, in another terminal:")
    if not local_nats:
        print(f'  .venv/bin/forum governors watch --name "Your Name" --nats-url {nats_url} --seed <your key>')
    elif data == Path("var").resolve():
        print('  make watch NAME="Your Name"')
    else:
        print(f'  .venv/bin/forum governors watch --name "Your Name" --data {data}')
    print("\nPress Ctrl-C to stop.\n", flush=True)


def _wait_port(host: str, port: int, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection((host, port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"nats-server did not start on port {port}; see var/nats.log")


def _wait_http(url: str, timeout: float, children: list[tuple[str, subprocess.Popen[bytes]]]) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if any(child.poll() is not None for _, child in children):
            return False
        try:
            with urllib.request.urlopen(url, timeout=1) as resp:
                if resp.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


def _stop_all(children: list[tuple[str, subprocess.Popen[bytes]]]) -> None:
    # Services first (they drain their NATS connections), NATS last.
    for _name, child in reversed(children):
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)
            try:
                child.wait(15)
            except subprocess.TimeoutExpired:
                child.kill()
