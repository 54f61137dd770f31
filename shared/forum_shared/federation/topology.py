"""Who runs what on the forum's NATS, and what each user may do there.

Everything here is derived from two things: which organisation runs which service (a `Topology`)
and the event catalogue (each event's `owner` and `consumed_by`). The services and the server's
configuration use the same names, so they always agree.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forum_shared.events import EVENT_TYPES, Event, stream_for

# The names both sides use (a service and the server's configuration) live below messaging and
# the governors' watch, which use them too.
from forum_shared.streams import (
    ESCALATIONS_STREAM,
    GOVERNORS,
    SERVICES,
    api_prefix,
    consumed_events,
    deliver_prefix,
    governor_durable,
    governor_slug,
    inbound_stream,
    inbox_prefix,
)

GOVERNORS_ACCOUNT = "GOVERNORS"
SYSTEM_ACCOUNT = "SYS"
DEFAULT_DOMAIN = "forum"

# A NATS user's permissions: {"publish": {"allow": [subjects]}, "subscribe": {"allow": [...]}}.
Permissions = dict[str, dict[str, list[str]]]

# The embedded default: the trust runs membership and meetings, the SUN Network feedback and a
# local charity signposting. Any partner may run any service; this is only configuration.
DEFAULT_ORGANISATIONS: dict[str, tuple[str, ...]] = {
    "TRUST": ("membership", "meetings"),
    "SUN": ("feedback",),
    "CHARITY": ("signposting",),
}


# -- permissions ------------------------------------------------------------------------------
def _js_api(suffixes: Iterable[str], domain: str | None) -> list[str]:
    """JetStream API subjects, also in their domain form for clients of a leaf node."""
    plain = [f"$JS.API.{s}" for s in suffixes]
    return plain + ([f"$JS.{domain}.API.{s}" for s in suffixes] if domain else [])


def service_permissions(service: str, domain: str | None) -> Permissions:
    """A service publishes its own events, and uses JetStream for its own two streams only."""
    own, inbound = stream_for(service), inbound_stream(service)
    api = ["INFO"]
    for stream in (own, inbound):
        api += [f"STREAM.INFO.{stream}", f"STREAM.CREATE.{stream}", f"STREAM.UPDATE.{stream}"]
    api += [
        f"CONSUMER.CREATE.{inbound}.>",
        f"CONSUMER.DURABLE.CREATE.{inbound}.>",
        f"CONSUMER.INFO.{inbound}.>",
        f"CONSUMER.DELETE.{inbound}.>",
        f"CONSUMER.NAMES.{inbound}",
        f"CONSUMER.LIST.{inbound}",
        f"CONSUMER.MSG.NEXT.{inbound}.>",
    ]
    return {
        "publish": {"allow": [f"forum.{service}.>", *_js_api(api, domain), f"$JS.ACK.{inbound}.>"]},
        # Its own events too: a live page follows them as they are published.
        "subscribe": {"allow": [f"{inbox_prefix(service)}.>", f"forum.{service}.>"]},
    }


def governor_permissions(name: str, domain: str | None) -> Permissions:
    """A governor reads and acknowledges their own durable consumer: nothing else at all."""
    durable = governor_durable(name)
    api = [f"CONSUMER.INFO.{ESCALATIONS_STREAM}.{durable}", f"CONSUMER.MSG.NEXT.{ESCALATIONS_STREAM}.{durable}"]
    return {
        "publish": {"allow": [*_js_api(api, domain), f"$JS.ACK.{ESCALATIONS_STREAM}.{durable}.>"]},
        "subscribe": {"allow": [f"{inbox_prefix(durable)}.>"]},
    }


def union_permissions(permissions: Iterable[Permissions]) -> Permissions:
    merged: Permissions = {"publish": {"allow": []}, "subscribe": {"allow": []}}
    for each in permissions:
        for direction in merged:
            for subject in each[direction]["allow"]:
                if subject not in merged[direction]["allow"]:
                    merged[direction]["allow"].append(subject)
    return merged


# -- the topology -----------------------------------------------------------------------------
@dataclass
class Topology:
    """Which organisation (NATS account) runs which service, and who the governors are."""

    organisations: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_ORGANISATIONS))
    governors: list[str] = field(default_factory=list)
    domain: str | None = DEFAULT_DOMAIN
    # Organisations whose own nats-server joins the hub as a leaf node (see "Run your own part").
    leaf_nodes: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.organisations = {name: tuple(services) for name, services in self.organisations.items()}
        placed = [s for services in self.organisations.values() for s in services]
        for service in placed:
            if service not in SERVICES:
                raise ValueError(f"unknown service {service!r}: the forum's services are {', '.join(SERVICES)}")
        missing = sorted(set(SERVICES) - set(placed))
        twice = sorted({s for s in placed if placed.count(s) > 1})
        if missing or twice:
            problems = []
            if missing:
                problems.append(f"nobody runs {', '.join(missing)}")
            if twice:
                problems.append(f"more than one runs {', '.join(twice)}")
            raise ValueError("each service is run by exactly one organisation: " + "; ".join(problems))
        for name in self.organisations:
            if not re.fullmatch(r"[A-Z][A-Z0-9_]*", name) or name in (GOVERNORS_ACCOUNT, SYSTEM_ACCOUNT):
                raise ValueError(f"organisation {name!r}: use capital letters, digits and _, not GOVERNORS or SYS")
        for governor in self.governors:
            governor_slug(governor)
        for name in self.leaf_nodes:
            if name not in self.organisations:
                raise ValueError(f"leaf node for {name!r}: no such organisation")

    @property
    def accounts(self) -> dict[str, str]:
        """Service (and "governors") → account: what each service's `NATS_ACCOUNTS` setting holds."""
        result = {service: org for org, services in self.organisations.items() for service in services}
        result[GOVERNORS] = GOVERNORS_ACCOUNT
        return result

    def account_of(self, consumer: str) -> str:
        return self.accounts[consumer]

    def exports(self, account: str) -> list[dict[str, Any]]:
        """What an account lets other accounts take: per consumed event type, the right to source
        exactly that subject from the owner's stream, plus flow control and delivery."""
        accounts = self.accounts
        result: list[dict[str, Any]] = []
        for owner in self.organisations.get(account, ()):
            stream = stream_for(owner)
            readers: set[str] = set()
            for event_type in consumed_events_of_owner(owner):
                others = sorted({accounts[c] for c in event_type.consumed_by if accounts[c] != account})
                if others:
                    readers |= set(others)
                    result.append({"service": f"$JS.API.CONSUMER.CREATE.{stream}.*.{event_type.subject()}",
                                   "accounts": others})
            if readers:
                result.append({"service": f"$JS.FC.{stream}.>", "accounts": sorted(readers)})
            for consumer in sorted({c for e in consumed_events_of_owner(owner) for c in e.consumed_by}):
                if accounts[consumer] != account:
                    result.append({"stream": f"{deliver_prefix(owner, consumer)}.>", "accounts": [accounts[consumer]]})
        return result

    def imports(self, account: str) -> list[dict[str, Any]]:
        accounts = self.accounts
        consumers = [c for c, a in accounts.items() if a == account]
        result: list[dict[str, Any]] = []
        seen: set[str] = set()

        def add(item: dict[str, Any]) -> None:
            key = json.dumps(item, sort_keys=True)
            if key not in seen:
                seen.add(key)
                result.append(item)

        for consumer in consumers:
            for event_type in consumed_events(consumer):
                owner = event_type.owner
                if accounts[owner] == account:
                    continue
                stream = stream_for(owner)
                subject = f"CONSUMER.CREATE.{stream}.*.{event_type.subject()}"
                add({"service": {"account": accounts[owner], "subject": f"$JS.API.{subject}"},
                     "to": f"{api_prefix(owner)}.{subject}"})
                add({"service": {"account": accounts[owner], "subject": f"$JS.FC.{stream}.>"}})
                add({"stream": {"account": accounts[owner], "subject": f"{deliver_prefix(owner, consumer)}.>"}})
        return result

    # -- reading and writing ------------------------------------------------------------------
    @classmethod
    def load(cls, path: Path) -> Topology:
        """Read a topology from TOML (`deploy/nats/topology.toml`) or JSON."""
        text = path.read_text()
        data = tomllib.loads(text) if path.suffix == ".toml" else json.loads(text)
        return cls(
            organisations={k: tuple(v) for k, v in data.get("organisations", DEFAULT_ORGANISATIONS).items()},
            governors=list(data.get("governors", [])),
            domain=data.get("domain", DEFAULT_DOMAIN) or None,
            leaf_nodes=list(data.get("leaf_nodes", [])),
        )

    def save(self, path: Path) -> None:
        path.write_text(json.dumps(
            {"organisations": {k: list(v) for k, v in self.organisations.items()},
             "governors": self.governors, "domain": self.domain, "leaf_nodes": self.leaf_nodes}, indent=2) + "\n")


def consumed_events_of_owner(owner: str) -> list[type[Event]]:
    return [cls for cls in EVENT_TYPES.values() if cls.owner == owner and cls.consumed_by]
