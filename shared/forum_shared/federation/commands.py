"""`forum nats …`, `forum governors …` and `forum replay …`: the federation's commands.

On this machine (`forum up`) they work on the data folder (`--data var`): its keys, its topology
and its running nats-server. Against a real deployment they take a URL and a key file instead.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import importlib
import os
import signal
import sys
import time
from pathlib import Path

import nats

from forum_shared.events import Envelope
from forum_shared.federation import keys
from forum_shared.federation.local import LocalFederation
from forum_shared.federation.server_config import accounts_block, leaf_accounts_block, render
from forum_shared.federation.topology import Topology
from forum_shared.streams import SERVICES, governor_durable, inbox_prefix


def add_arguments(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    n = commands.add_parser("nats", help="keys and configuration of the forum's NATS").add_subparsers(
        dest="what", required=True
    )
    k = n.add_parser(
        "key", help="make a NATS key for a service or person; prints its public key and writes it to <keys>/<name>.pub"
    )
    k.add_argument("--name", required=True, help="e.g. service-signposting, leaf-CHARITY, governor-alice-smith")
    k.add_argument("--keys", default="keys", help="folder for the key (default ./keys)")
    a = n.add_parser("accounts", help="write the accounts block the hub's configuration includes")
    a.add_argument("--topology", default="deploy/nats/topology.toml", help="who runs what (TOML)")
    a.add_argument("--keys", default="keys", help="folder with each user's .nk seed or .pub public key")
    a.add_argument("--out", default="-", help="file to write (default: print)")
    su = n.add_parser("setup", help="keys, accounts, TLS and the hub's configuration, for a new deployment")
    su.add_argument("--topology", default="deploy/nats/topology.toml")
    su.add_argument("--keys", default="keys", help="folder of keys (made where missing)")
    su.add_argument("--tls", default="tls", help="folder of the CA and the server's certificate (made if missing)")
    su.add_argument("--hostname", action="append", default=[], help="the hub's name(s) on its certificate")
    su.add_argument("--config", default="nats-config", help="folder for hub.conf, cluster.conf and accounts.conf")
    su.add_argument(
        "--hand-out", default=None, help="folder: give each service <folder>/<service>/service.nk and ca.crt"
    )
    su.add_argument("--owner", type=int, default=None, help="user id that owns the handed-out files")
    df = n.add_parser("deploy-files", help="write deploy/nats/*.conf (hub, cluster node, leaf node)")
    df.add_argument("--out", default="deploy/nats", help="folder (default deploy/nats)")
    lf = n.add_parser("leaf", help="write the accounts block of one organisation's own leaf node")
    lf.add_argument("--organisation", required=True, help="e.g. CHARITY")
    lf.add_argument("--topology", default="deploy/nats/topology.toml")
    lf.add_argument("--keys", default="keys")
    lf.add_argument("--out", default="-")

    g = commands.add_parser("governors", help="for governors").add_subparsers(dest="what", required=True)
    w = g.add_parser("watch", help="follow escalations as they are raised, catching up after being away")
    w.add_argument("--name", required=True, help="your name; your place in the list is kept under it")
    w.add_argument("--json", action="store_true", help="one JSON object per line, for programs")
    w.add_argument("--new-only", action="store_true", help="on first use, skip escalations raised before now")
    _where(w)
    w.add_argument("--seed", default=None, help="your NATS key (seed file) from the forum's NATS operator")
    w.add_argument("--creds", default=None, help="a NATS credentials file, instead of a seed")
    w.add_argument("--state", default=None, help="file remembering what you have seen (default beside your key)")
    ad = g.add_parser("add", help="give a governor a key and a place of their own (for the NATS operator)")
    ad.add_argument("--name", required=True)
    ad.add_argument("--new-only", action="store_true", help="start their list from now, not from the first kept")
    _where(ad)
    ad.add_argument("--admin-seed", default=None, help="the governors' account administrator key (with --nats-url)")

    r = commands.add_parser("replay", help="have a service read its history again from the streams")
    r.add_argument("service", choices=SERVICES)
    r.add_argument("--data", default=None, help="the forum on this machine (forum up's data folder, e.g. var)")


def _where(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--data", default="var", help="the forum on this machine (default var/)")
    parser.add_argument("--nats-url", default=None, help="a deployed forum's NATS instead, e.g. tls://nats.example.org:4222")


def run(args: argparse.Namespace) -> int:
    try:
        if args.command == "nats":
            return _nats(args)
        if args.command == "replay":
            return asyncio.run(_replay(args))
        if args.what == "add":
            return asyncio.run(_add_governor(args))
        return _watch(args)
    except Exception as exc:  # noqa: BLE001 - a person reads this, not a traceback
        print(f"forum {args.command}: {exc}", file=sys.stderr)
        return 1


# -- forum nats ------------------------------------------------------------------------------
def _nats(args: argparse.Namespace) -> int:
    if args.what == "deploy-files":
        from forum_shared.federation.deploy_files import deploy_files

        Path(args.out).mkdir(parents=True, exist_ok=True)
        for name, text in deploy_files().items():
            (Path(args.out) / name).write_text(text)
        return 0
    if args.what == "setup":
        return _setup(args)
    folder = Path(args.keys)
    if args.what == "key":
        public, public_path = keys.make_key(folder, args.name)
        print(public)
        print(f"Public key written to {public_path}: send this file to the forum's NATS operator.", file=sys.stderr)
        seed = keys.seed_file(folder, args.name)
        print(f"Seed (keep it secret): {seed}" if seed.exists() else f"No seed in {folder}: only the public key.",
              file=sys.stderr)
        return 0
    topology = Topology.load(Path(args.topology))
    if args.what == "accounts":
        text = render([accounts_block(topology, lambda name: keys.ensure_key(folder, name))],
                      header=f"Made by `forum nats accounts` from {args.topology}.")
    else:
        text = render([leaf_accounts_block(topology, args.organisation, lambda name: keys.ensure_key(folder, name))],
                      header=f"Made by `forum nats leaf --organisation {args.organisation}` from {args.topology}.")
    if args.out == "-":
        sys.stdout.write(text)
    else:
        Path(args.out).write_text(text)
    return 0


def _setup(args: argparse.Namespace) -> int:
    """Everything a new hub needs, made once and kept: running it again makes only what is missing
    (and the configuration, from the topology as it is now)."""
    import shutil

    from forum_shared.federation.deploy_files import deploy_files
    from forum_shared.federation.server_config import user_names
    from forum_shared.federation.tls import make_certificates

    topology = Topology.load(Path(args.topology))
    folder, config, tls = Path(args.keys), Path(args.config), Path(args.tls)
    for user in user_names(topology):
        keys.ensure_key(folder, user)
    config.mkdir(parents=True, exist_ok=True)
    for name, text in deploy_files().items():
        (config / name).write_text(text)
    (config / "accounts.conf").write_text(render([accounts_block(topology, lambda n: keys.ensure_key(folder, n))],
                                                 header=f"Made by `forum nats setup` from {args.topology}."))
    if not (tls / "ca.crt").exists():
        make_certificates(tls, args.hostname or ["localhost", "127.0.0.1"])
    if args.hand_out:
        for services in topology.organisations.values():
            for service in services:
                target = Path(args.hand_out) / service
                target.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(keys.seed_file(folder, f"service-{service}"), target / "service.nk")
                shutil.copyfile(tls / "ca.crt", target / "ca.crt")
                (target / "service.nk").chmod(0o600)
                if args.owner is not None:
                    for path in (target, target / "service.nk", target / "ca.crt"):
                        os.chown(path, args.owner, args.owner)
    print(f"NATS set up: configuration in {config}, keys in {folder}, TLS in {tls}")
    return 0


# -- forum governors -------------------------------------------------------------------------
def _local(args: argparse.Namespace) -> tuple[LocalFederation, str]:
    data = Path(args.data).resolve()
    url_file = data / "nats" / "url"
    if not url_file.exists():
        raise RuntimeError(f"no forum is running from {data} (start it with `make up`), or give --nats-url")
    return LocalFederation(data / "nats"), url_file.read_text().strip()


def _reload(federation: LocalFederation, url: str) -> None:
    """Rewrite the local server's configuration and have it read it again."""
    port = int(url.rsplit(":", 1)[1])
    federation.write(port)
    pid = int((federation.folder / "nats.pid").read_text())
    os.kill(pid, signal.SIGHUP)


async def _add_governor(args: argparse.Namespace) -> int:
    from forum_shared import governors

    if args.nats_url:
        if not args.admin_seed:
            raise RuntimeError("give --admin-seed, the governors' account administrator key")
        url, seed, accounts = args.nats_url, args.admin_seed, Topology().accounts
    else:
        federation, url = _local(args)
        if federation.add_governor(args.name):
            _reload(federation, url)
        seed, accounts = str(federation.seed_file("admin-GOVERNORS")), federation.topology.accounts
    durable = await governors.give_place(
        lambda: nats.connect(url, nkeys_seed=seed, inbox_prefix=inbox_prefix("admin-GOVERNORS"), allow_reconnect=False,
                             max_reconnect_attempts=0),
        args.name, accounts, new_only=args.new_only,
    )
    # On stderr: `watch --json` adds a governor on the way, and its stdout is for programs.
    print(f"{args.name} has a place of their own: {durable}", file=sys.stderr)
    if not args.nats_url:
        print(f"Their key: {federation.governor_seed_file(args.name)}", file=sys.stderr)
    return 0


def _watch(args: argparse.Namespace) -> int:
    from forum_shared.governors import ShownEscalations, as_json, readable, watch

    if args.nats_url:
        url = args.nats_url
        options = {"user_credentials": args.creds} if args.creds else {"nkeys_seed": args.seed} if args.seed else {}
        state = Path(args.state) if args.state else Path.home() / ".forum" / f"{governor_durable(args.name)}.seen"
        accounts = {}
    else:
        federation, url = _local(args)
        if args.name not in federation.topology.governors:
            asyncio.run(_add_governor(args))
            federation = LocalFederation(federation.folder)
        options = {"nkeys_seed": str(federation.governor_seed_file(args.name))}
        state = Path(args.state) if args.state else federation.keys / f"{governor_durable(args.name)}.seen"
        accounts = federation.topology.accounts
    options["inbox_prefix"] = inbox_prefix(governor_durable(args.name))

    def show(envelope: Envelope) -> None:
        print(as_json(envelope) if args.json else readable(envelope) + "\n", flush=True)

    async def run() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            with contextlib.suppress(NotImplementedError):
                loop.add_signal_handler(sig, stop.set)
        if not args.json:
            print(f"Watching escalations as {args.name}. Press Ctrl-C to stop.\n", flush=True)
        await watch(args.name, [u.strip() for u in url.split(",")], show, new_only=args.new_only, stop=stop,
                    connect_options=options, shown=ShownEscalations(state), accounts=accounts)

    asyncio.run(run())
    return 0


# -- forum replay ----------------------------------------------------------------------------
async def _replay(args: argparse.Namespace) -> int:
    """Delete the service's durable consumers: each is made again from the start of its stream
    (at once if the service is running, else when it starts), and its inbox skips what it has."""
    settings = importlib.import_module(f"{args.service}.config").Settings()
    if args.data:
        federation, url = _local(args)
        values = federation.service_settings(args.service, url)
        settings = settings.model_copy(update=values)
    from forum_shared.consumers import Consumers
    from forum_shared.messaging import Messaging

    consumers: Consumers = importlib.import_module(f"{args.service}.consumers").consumers
    messaging = Messaging(
        args.service,
        settings,
        db=None,  # type: ignore[arg-type]  # deleting consumers reads and writes no database
        consumers=consumers,
    )
    await messaging.first_connect()
    if not messaging.ready:
        raise RuntimeError(f"cannot reach NATS at {', '.join(settings.nats_url)}")
    try:
        deleted = await messaging.read_history_again()
    finally:
        await messaging.stop()
    started = time.strftime("%H:%M:%S")
    print(f"{args.service}: {len(deleted)} consumer(s) will read their history again from the start "
          f"({started}); events this database already has are skipped.")
    return 0
