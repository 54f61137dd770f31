"""The whole federation on one machine (`forum up`, the tests): every organisation's account, its
keys and the server's configuration under one folder (by default `var/nats/`).

Keys are made on first use and kept (seeds readable by this user only, never committed). The same
accounts, permissions and exports as production: the embedded default is the real topology in small.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import TYPE_CHECKING, Any

import nats

from forum_shared.events import stream_for
from forum_shared.federation import keys
from forum_shared.federation.server_config import Cluster, Server, Tls, accounts_block, render, user_names
from forum_shared.federation.topology import GOVERNORS_ACCOUNT, Topology
from forum_shared.streams import (
    ESCALATIONS_STREAM,
    GOVERNORS,
    SERVICES,
    governor_durable,
    governor_slug,
    inbound_stream,
    inbox_prefix,
)

if TYPE_CHECKING:
    from nats.aio.client import Client

HEADER = """The Partnership Forum's NATS on this machine, made by `forum up` from {topology}.
Remade at every start; keys are in {keys}."""


class LocalFederation:
    def __init__(self, folder: Path, topology: Topology | None = None, keys_folder: Path | None = None) -> None:
        self.folder = folder
        self.keys = keys_folder or folder / "keys"
        self.config_path = folder / "nats.conf"
        self.topology_path = folder / "topology.json"
        if topology is None and self.topology_path.exists():
            topology = Topology.load(self.topology_path)
        self.topology = topology or Topology()

    def write(
        self,
        port: int,
        *,
        host: str = "127.0.0.1",
        monitor_port: int | None = None,
        leafnodes_port: int | None = None,
        cluster: Cluster | None = None,
        server_name: str | None = None,
        client_tls: Tls | None = None,
        leafnode_tls: Tls | None = None,
        store_dir: Path | None = None,
        sync_always: bool = True,
    ) -> Path:
        """Write the topology and the server's configuration (making any missing keys)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        server = Server(
            listen=f"{host}:{port}",
            store_dir=str(store_dir or self.folder / "jetstream"),
            server_name=server_name,
            monitor=f"127.0.0.1:{monitor_port}" if monitor_port else None,
            domain=self.topology.domain,
            client_tls=client_tls,
            leafnodes=f"{host}:{leafnodes_port}" if leafnodes_port else None,
            leafnode_tls=leafnode_tls,
            cluster=cluster,
            sync_always=sync_always,
        )
        self.topology.save(self.topology_path)
        text = render(
            [server.block(), accounts_block(self.topology, self.public_key)],
            header=HEADER.format(topology=self.topology_path, keys=self.keys),
        )
        self.config_path.write_text(text)
        return self.config_path

    def public_key(self, user: str) -> str:
        return keys.ensure_key(self.keys, user)

    def ensure_keys(self) -> None:
        for user in user_names(self.topology):
            self.public_key(user)

    def seed_file(self, user: str) -> Path:
        return keys.seed_file(self.keys, user)

    # -- what a service needs to connect -----------------------------------------------------
    def service_settings(self, service: str, url: str | list[str]) -> dict[str, Any]:
        """The NATS settings of one service (as keyword arguments of its Settings)."""
        return {
            "nats_url": url if isinstance(url, list) else [url],
            "nats_nkey_seed_file": self.seed_file(f"service-{service}"),
            "nats_accounts": self.topology.accounts,
        }

    def service_env(self, service: str, url: str) -> dict[str, str]:
        """The same, as the environment variables a service reads."""
        import json

        prefix = service.upper()
        return {
            f"{prefix}_NATS_URL": url,
            f"{prefix}_NATS_NKEY_SEED_FILE": str(self.seed_file(f"service-{service}")),
            f"{prefix}_NATS_ACCOUNTS": json.dumps(self.topology.accounts),
        }

    # -- people and programs on NATS ------------------------------------------------------------
    def admin_for_stream(self, stream: str) -> str:
        """The account administrator who can read `stream` (for operators' tools and tests)."""
        accounts = self.topology.accounts
        if stream == ESCALATIONS_STREAM:
            return f"admin-{GOVERNORS_ACCOUNT}"
        for service in SERVICES:
            if stream in (stream_for(service), inbound_stream(service)):
                return f"admin-{accounts[service]}"
        raise ValueError(f"no stream {stream} in the forum")

    async def connect(self, url: str | list[str], user: str, **options: Any) -> Client:
        """Connect as one of the federation's users: `service-feedback`, `admin-TRUST`,
        `governor-alice-smith`, `system`."""
        prefix = inbox_prefix(user.removeprefix("service-"))
        return await nats.connect(url, nkeys_seed=str(self.seed_file(user)), inbox_prefix=prefix, **options)

    async def declare_owner_streams(self, url: str) -> None:
        """Each owner's stream, declared with the owner's own key before the services start: a
        consumer's source whose stream is missing is retried by JetStream only every ten seconds
        or so, and on one machine there is no reason to wait for that."""
        from forum_shared.config import ServiceSettings
        from forum_shared.streams import own_stream_config

        for service in SERVICES:
            nc = await self.connect(url, f"service-{service}")
            try:
                js = nc.jetstream()
                # Refused when it is there already, as its owner declared it.
                with contextlib.suppress(nats.js.errors.BadRequestError):
                    await js.add_stream(own_stream_config(service, ServiceSettings()))
            finally:
                await nc.close()

    def add_governor(self, name: str) -> bool:
        """Give a governor a user and a place of their own; True if they were new. The server must
        reload its configuration, and `governors.ensure_place` make their durable consumer."""
        slug = governor_slug(name)
        if any(governor_slug(g) == slug for g in self.topology.governors):
            return False
        self.topology.governors.append(name)
        self.public_key(f"governor-{slug}")
        return True

    def governor_seed_file(self, name: str) -> Path:
        return self.seed_file(governor_durable(name))


__all__ = ["GOVERNORS", "LocalFederation"]
