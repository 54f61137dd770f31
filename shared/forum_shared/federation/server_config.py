"""nats-server configuration for the federation: accounts, users, exports and imports made from a
`Topology`, and the server blocks around them (client port, JetStream, leaf nodes, cluster, TLS).

The files in `deploy/nats/` are made by these functions (`forum nats config`), and a test checks
that they still are, so what the tests run is what is deployed.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from forum_shared.federation.topology import (
    GOVERNORS_ACCOUNT,
    SYSTEM_ACCOUNT,
    Topology,
    governor_permissions,
    service_permissions,
    union_permissions,
)
from forum_shared.streams import governor_slug


@dataclass(frozen=True)
class Env:
    """A value the server reads from its environment when it starts (`$NAME`), e.g. a secret."""

    name: str


@dataclass(frozen=True)
class Raw:
    """A value written as it is (e.g. `include` lines)."""

    text: str


def user_names(topology: Topology) -> list[str]:
    """Every NATS user the topology has, by the name of its key file."""
    names = [f"service-{s}" for services in topology.organisations.values() for s in services]
    names += [f"admin-{account}" for account in [*topology.organisations, GOVERNORS_ACCOUNT]]
    names += [f"governor-{governor_slug(g)}" for g in topology.governors]
    names += [f"leaf-{account}" for account in topology.leaf_nodes]
    names.append("system")
    return names


def accounts_block(topology: Topology, public_keys: Callable[[str], str]) -> dict[str, Any]:
    """The `accounts` block and `system_account`; `public_keys(name)` gives each user's key."""
    domain = topology.domain
    accounts: dict[str, Any] = {}
    for account, services in topology.organisations.items():
        users = [{"nkey": public_keys(f"service-{s}"), "permissions": service_permissions(s, domain)} for s in services]
        users.append({"nkey": public_keys(f"admin-{account}")})
        if account in topology.leaf_nodes:
            # A partner's leaf node carries its services' traffic: it may do what they may do.
            leaf = union_permissions(service_permissions(s, domain) for s in services)
            users.append({"nkey": public_keys(f"leaf-{account}"), "permissions": leaf})
        accounts[account] = {
            "jetstream": Raw("enabled"),
            "users": users,
            "exports": topology.exports(account),
            "imports": topology.imports(account),
        }
    governors = [{"nkey": public_keys(f"governor-{governor_slug(g)}"), "permissions": governor_permissions(g, domain)}
                 for g in topology.governors]
    accounts[GOVERNORS_ACCOUNT] = {
        "jetstream": Raw("enabled"),
        "users": [*governors, {"nkey": public_keys(f"admin-{GOVERNORS_ACCOUNT}")}],
        "imports": topology.imports(GOVERNORS_ACCOUNT),
    }
    accounts[SYSTEM_ACCOUNT] = {"users": [{"nkey": public_keys("system")}]}
    for block in accounts.values():
        for key in ("exports", "imports"):
            if key in block and not block[key]:
                del block[key]
    return {"accounts": accounts, "system_account": SYSTEM_ACCOUNT}


def leaf_accounts_block(topology: Topology, organisation: str, public_keys: Callable[[str], str]) -> dict[str, Any]:
    """The accounts of an organisation's own leaf node: its services' users, with the same
    permissions as on the hub (the hub checks them again on the leaf connection)."""
    services = topology.organisations[organisation]
    users = [{"nkey": public_keys(f"service-{s}"), "permissions": service_permissions(s, topology.domain)}
             for s in services]
    return {"accounts": {organisation: {"users": users}}}


@dataclass
class Tls:
    cert_file: str | Env
    key_file: str | Env
    ca_file: str | Env | None = None
    verify: bool = False  # ask clients (or routes) for a certificate signed by `ca_file`

    def block(self) -> dict[str, Any]:
        result: dict[str, Any] = {"cert_file": self.cert_file, "key_file": self.key_file}
        if self.ca_file:
            result["ca_file"] = self.ca_file
        if self.verify:
            result["verify"] = True
        return result


@dataclass
class Cluster:
    name: str
    listen: str | Env
    routes: list[str] | Env
    user: str | Env
    password: str | Env
    tls: Tls | None = None


@dataclass
class Server:
    """One nats-server of the federation (the hub, a cluster node, or the local one)."""

    listen: str | Env = "0.0.0.0:4222"
    store_dir: str | Env = "/data/jetstream"
    server_name: str | Env | None = None
    monitor: str | Env | None = "127.0.0.1:8222"  # loopback only: it answers without authentication
    domain: str | None = "forum"
    client_tls: Tls | None = None
    leafnodes: str | Env | None = None  # where partners' leaf nodes connect, e.g. "0.0.0.0:7422"
    leafnode_tls: Tls | None = None
    cluster: Cluster | None = None
    max_payload: str = "1MB"
    extra: dict[str, Any] = field(default_factory=dict)
    sync_always: bool = True  # False only where no power cut is to be survived: the tests

    def block(self) -> dict[str, Any]:
        config: dict[str, Any] = {}
        if self.server_name:
            config["server_name"] = self.server_name
        config["listen"] = self.listen
        config["max_payload"] = Raw(self.max_payload)
        if self.client_tls:
            config["tls"] = self.client_tls.block()
        if self.monitor:
            config["http"] = self.monitor
        jetstream: dict[str, Any] = {"store_dir": self.store_dir}
        if self.sync_always:
            # Acknowledge an event only once it is on disk: escalations must survive a power cut.
            jetstream["sync_interval"] = "always"
        if self.domain:
            jetstream["domain"] = self.domain
        config["jetstream"] = jetstream
        if self.leafnodes:
            leaf: dict[str, Any] = {"listen": self.leafnodes}
            if self.leafnode_tls:
                leaf["tls"] = self.leafnode_tls.block()
            config["leafnodes"] = leaf
        if self.cluster:
            cluster: dict[str, Any] = {
                "name": self.cluster.name,
                "listen": self.cluster.listen,
                "authorization": {"user": self.cluster.user, "password": self.cluster.password},
                "routes": self.cluster.routes,
            }
            if self.cluster.tls:
                cluster["tls"] = self.cluster.tls.block()
            config["cluster"] = cluster
        config.update(self.extra)
        return config


def render(blocks: list[dict[str, Any] | Raw], header: str = "") -> str:
    """nats-server configuration text (its syntax is close to JSON; `Env` values stay unquoted)."""
    lines = [f"# {line}".rstrip() for line in header.strip().splitlines()] if header else []
    if lines:
        lines.append("")
    for block in blocks:
        if isinstance(block, Raw):
            lines.append(block.text)
            continue
        for key, value in block.items():
            lines.append(f"{key}: {_value(value, 0)}")
    return "\n".join(lines) + "\n"


def _value(value: object, depth: int) -> str:
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, Env):
        return f"${value.name}"
    if isinstance(value, Raw):
        return value.text
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value)
    if isinstance(value, dict):
        if not value:
            return "{}"
        body = "\n".join(f"{inner}{_key(k)}: {_value(v, depth + 1)}" for k, v in value.items())
        return "{\n" + body + f"\n{pad}}}"
    if isinstance(value, list):
        if not value:
            return "[]"
        if all(isinstance(v, (str, Env)) for v in value) and sum(len(str(v)) for v in value) < 90:
            return "[" + ", ".join(_value(v, depth) for v in value) + "]"
        return "[\n" + "\n".join(f"{inner}{_value(v, depth + 1)}" for v in value) + f"\n{pad}]"
    raise TypeError(f"cannot write {value!r} in a nats-server configuration")


def _key(key: str) -> str:
    return key if key.replace("_", "").isalnum() else json.dumps(key)
