"""The configurations in deploy/ run for real: the hub with TLS, a partner's leaf node made from its
compose file (as processes: there is no container engine here), and the three-node cluster."""

import contextlib
import os
import shutil
import socket
import ssl
import subprocess
import sys
import time
import uuid
from pathlib import Path

import nats
import pytest
import yaml

from forum_shared.events import Envelope, PopUpForumHeld, stream_for
from forum_shared.events.base import source_of
from forum_shared.federation.topology import Topology
from forum_shared.local import free_port, nats_server_binary
from forum_shared.testing import run_service, settings_for, wait_for

ROOT = Path(__file__).resolve().parents[1]
TOPOLOGY = ROOT / "deploy" / "nats" / "topology.toml"


def forum(*args: str, cwd: Path) -> str:
    done = subprocess.run([sys.executable, "-m", "forum_shared.cli", *args], cwd=cwd, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.fixture
def hub_files(tmp_path: Path) -> Path:
    """What the hub's operator makes for a new forum: keys, accounts, the configuration, a CA."""
    forum("nats", "setup", "--topology", str(TOPOLOGY), "--keys", "keys", "--tls", "tls", "--hostname", "localhost",
          "--hostname", "127.0.0.1", "--config", "hub", cwd=tmp_path)
    return tmp_path


@contextlib.contextmanager
def nats_process(config: Path, env: dict[str, str], port: int):
    log = (config.parent / f"{config.stem}.log").open("ab")
    process = subprocess.Popen([nats_server_binary(), "-c", str(config)], env={**os.environ, **env}, stdout=log,
                               stderr=log)
    try:
        deadline = time.monotonic() + 10
        while True:
            assert process.poll() is None, (config.parent / f"{config.stem}.log").read_text()
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.2):
                break
            assert time.monotonic() < deadline, f"{config.name} did not start"
            time.sleep(0.05)
        yield process
    finally:
        process.terminate()
        process.wait(10)
        log.close()


def hub_env(files: Path, name: str, port: int, leaf_port: int, store: str) -> dict[str, str]:
    return {
        "NATS_SERVER_NAME": name, "NATS_LISTEN": f"127.0.0.1:{port}", "NATS_LEAFNODES_LISTEN": f"127.0.0.1:{leaf_port}",
        "NATS_MONITOR_LISTEN": f"127.0.0.1:{free_port()}", "NATS_STORE_DIR": str(files / store),
        "NATS_TLS_CERT": str(files / "tls" / "server.crt"), "NATS_TLS_KEY": str(files / "tls" / "server.key"),
        "NATS_TLS_CA": str(files / "tls" / "ca.crt"),
    }


def compose_as_process(files: Path, organisation: str, service: str, values: dict[str, str]) -> dict[str, str]:
    """A partner's compose service as the environment of a process: its variables filled in, and
    each file it mounts at the path on this machine it would be mounted from."""
    from .test_deploy_configs import COMPOSE_VARIABLE

    compose = yaml.safe_load((ROOT / "deploy" / "partner" / f"{organisation}.yml").read_text())
    spec = compose["services"][service]

    def fill(text: str) -> str:
        return COMPOSE_VARIABLE.sub(lambda m: values.get(m.group(1), ""), text)

    mounts = {}
    for volume in spec["volumes"]:
        source, target, *_ = fill(volume).split(":")
        mounts[target] = source
    return {key: mounts.get(fill(str(value)), fill(str(value))) for key, value in spec["environment"].items()}


async def test_a_partner_runs_its_service_through_its_own_leaf_node_and_the_hub_needs_tls_and_a_key(
    hub_files, monkeypatch
):
    import meetings.app
    import meetings.config
    import signposting.app
    import signposting.config

    files = hub_files
    hub_port, leaf_port, local_port = free_port(), free_port(), free_port()
    (files / "leaf").mkdir()
    forum("nats", "leaf", "--organisation", "CHARITY", "--topology", str(TOPOLOGY), "--keys", "keys",
          "--out", "leaf/leaf-accounts.conf", cwd=files)
    shutil.copy(ROOT / "deploy" / "nats" / "leaf.conf", files / "leaf" / "leaf.conf")
    leaf_env = {"NATS_SERVER_NAME": "charity-leaf", "NATS_LISTEN": f"127.0.0.1:{local_port}",
                "NATS_HUB_LEAF_URL": f"tls://127.0.0.1:{leaf_port}",
                "NATS_LEAF_SEED": (files / "keys" / "leaf-CHARITY.nk").read_text().strip(),
                "NATS_ORGANISATION": "CHARITY", "NATS_TLS_CA": str(files / "tls" / "ca.crt")}
    accounts = Topology.load(TOPOLOGY).accounts
    with nats_process(files / "hub" / "hub.conf", hub_env(files, "hub", hub_port, leaf_port, "js"), hub_port), \
            nats_process(files / "leaf" / "leaf.conf", leaf_env, local_port):
        hub = f"tls://127.0.0.1:{hub_port}"
        # The hub: no key, no entry; no TLS, no entry either (the hub insists on TLS, and without
        # the forum's CA the client cannot trust it).
        with pytest.raises((ssl.SSLError, nats.errors.Error)):
            await nats.connect(f"nats://127.0.0.1:{hub_port}", nkeys_seed=str(files / "keys" / "service-meetings.nk"),
                               allow_reconnect=False, max_reconnect_attempts=0, connect_timeout=2)
        # The trust's meetings service connects to the hub directly.
        trust = settings_for(meetings.config.Settings, database_url=f"sqlite+aiosqlite:///{files}/meetings.db",
                             nats_url=hub, nats_nkey_seed_file=files / "keys" / "service-meetings.nk",
                             nats_tls_ca_file=files / "tls" / "ca.crt", nats_accounts=accounts)
        # The charity's signposting service, configured as deploy/partner/charity.yml says, on its leaf.
        env = compose_as_process(files, "charity", "signposting", {
            "FORUM_NATS_URL": f"nats://127.0.0.1:{local_port}", "FORUM_NATS_DOMAIN": "forum",
            "FORUM_SIGNPOSTING_NATS_KEY": str(files / "keys" / "service-signposting.nk"),
            "FORUM_NATS_CA": str(files / "tls" / "ca.crt"), "FORUM_SITES": "{}",
            "SIGNPOSTING_SECRET_KEY": "a-long-random-value-for-this-test-" + uuid.uuid4().hex,
            "SIGNPOSTING_DB_PASSWORD": "unused"})
        for key, value in env.items():
            monkeypatch.setenv(key, value)
        monkeypatch.setenv("SIGNPOSTING_DATABASE_URL", f"sqlite+aiosqlite:///{files}/signposting.db")
        charity = signposting.config.Settings(retry_backoff_seconds=0.05, outbox_poll_seconds=0.2, log_level="WARNING")
        assert charity.nats_jetstream_domain == "forum" and charity.environment == "production"
        async with (
            run_service(meetings.app.create_app, trust) as mt,
            run_service(signposting.app.create_app, charity) as sp,
        ):
            group = (await sp.staff.post("/community-groups", json={"name": "Ely Carers", "areas": ["Ely"]})).json()

            async def meetings_knows():
                return group["id"] in {g["id"] for g in (await mt.staff.get("/community-groups")).json()}

            await wait_for(meetings_knows, timeout=30, what="the group, from the leaf to the hub's other account")
            await sp.wait_subscribed()
            # And back: the trust's pop-up forum event reaches the charity through its leaf node.
            held = Envelope.wrap(PopUpForumHeld(pop_up_id="pop-leaf", community_group_id=group["id"],
                                                held_on="2026-11-30", hours=2, facilitator_member_ids=["m1", "m2"]),
                                 source=source_of("meetings"))
            nc = await nats.connect(hub, nkeys_seed=str(files / "keys" / "service-meetings.nk"), tls=_tls(files),
                                    inbox_prefix="_INBOX.meetings")
            await nc.jetstream().publish(
                held.subject, held.body(), headers=held.headers(), stream=stream_for("meetings")
            )
            await nc.close()

            async def visited():
                return (await sp.staff.get(f"/community-groups/{group['id']}")).json()["pop_up_count"] == 1

            await wait_for(visited, timeout=30, what="the pop-up forum counted by the charity")


def _tls(files: Path):
    import ssl

    return ssl.create_default_context(cafile=str(files / "tls" / "ca.crt"))


async def test_the_three_node_cluster_keeps_three_copies_of_each_stream(hub_files):
    import feedback.app
    import feedback.config

    files = hub_files
    ports = [free_port() for _ in range(3)]
    route_ports = [free_port() for _ in range(3)]
    password = uuid.uuid4().hex
    routes = "[" + ", ".join(f'"nats-route://route:{password}@127.0.0.1:{p}"' for p in route_ports) + "]"
    with contextlib.ExitStack() as stack:
        for i in range(3):
            env = {**hub_env(files, f"n{i}", ports[i], free_port(), f"js{i}"),
                   "NATS_CLUSTER_LISTEN": f"127.0.0.1:{route_ports[i]}", "NATS_ROUTE_PASSWORD": password,
                   "NATS_ROUTES": routes}
            stack.enter_context(nats_process(files / "hub" / "cluster.conf", env, ports[i]))
        settings = settings_for(feedback.config.Settings, database_url=f"sqlite+aiosqlite:///{files}/feedback.db",
                                nats_url=[f"tls://127.0.0.1:{p}" for p in ports],
                                nats_nkey_seed_file=files / "keys" / "service-feedback.nk",
                                nats_tls_ca_file=files / "tls" / "ca.crt",
                                nats_accounts=Topology.load(TOPOLOGY).accounts, stream_replicas=3)
        async with run_service(feedback.app.create_app, settings) as fb:
            assert (await fb.client.post("/feedback", json={"text": "Kept three times"})).status_code == 201
            nc = await nats.connect([f"tls://127.0.0.1:{p}" for p in ports], tls=_tls(files),
                                    nkeys_seed=str(files / "keys" / "admin-SUN.nk"))
            try:
                async def three_copies():
                    try:
                        info = await nc.jetstream().stream_info("FEEDBACK")
                    except Exception:  # noqa: BLE001 - still being placed
                        return None
                    return info if info.state.messages == 1 and len(info.cluster.replicas or []) == 2 else None

                info = await wait_for(three_copies, timeout=30, what="FEEDBACK on three nodes")
                assert info.config.num_replicas == 3
            finally:
                await nc.close()
