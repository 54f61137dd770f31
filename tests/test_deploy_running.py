"""The configurations in deploy/ run for real: the hub with TLS, partners' services set up from their
compose files (the charity's through its own leaf node, the trust's and the SUN's straight to the
hub), and the three-node cluster: NATS as processes, services in this one (no container engine here)."""

import contextlib
import io
import os
import shutil
import socket
import ssl
import subprocess
import time
import uuid
from pathlib import Path

import nats
import pytest
import yaml

from forum_shared.cli import main
from forum_shared.events import Envelope, PopUpForumHeld, stream_for
from forum_shared.events.event import source_of
from forum_shared.federation.topology import Topology
from forum_shared.local import free_port, nats_server_binary
from forum_shared.testing import run_service, settings_for, wait_for

ROOT = Path(__file__).resolve().parents[1]
TOPOLOGY = ROOT / "deploy" / "nats" / "topology.toml"


def forum(*args: str, cwd: Path) -> tuple[str, str]:
    """What `forum <args>` prints (stdout, stderr), run in `cwd`: in this process, as the same code
    the command runs (a new process would spend seconds importing what this one has already)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    assert code == 0, err.getvalue()
    return out.getvalue(), err.getvalue()


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
    """A partner's compose service as the environment of a process: the whole file filled in from
    `values` as compose fills it (so it fails as compose would if the file needs a variable `values`
    lacks), and each file the service mounts at the path on this machine it would be mounted from."""
    from .test_deploy_configs import interpolated

    compose = interpolated(yaml.safe_load((ROOT / "deploy" / "partner" / f"{organisation}.yml").read_text()), values)
    spec = compose["services"][service]
    mounts = {}
    for volume in spec["volumes"]:
        source, target, *_ = volume.split(":")
        mounts[target] = source
    return {key: mounts.get(str(value), str(value)) for key, value in spec["environment"].items()}


async def test_a_partner_runs_its_service_through_its_own_leaf_node_and_the_hub_needs_tls_and_a_key(
    hub_files, monkeypatch
):
    import meetings.app
    import meetings.config
    import signposting.app
    import signposting.config

    files = hub_files
    hub_port, leaf_port, local_port = free_port(), free_port(), free_port()
    # The charity makes its keys and keeps the seeds (README "Run your own part", step 1); the operator
    # puts the .pub files it sends in the hub's key folder and writes the accounts again (step 2).
    for name in ("service-signposting", "leaf-CHARITY"):
        printed, said = forum("nats", "key", "--name", name, "--keys", "charity-keys", cwd=files)
        public = files / "charity-keys" / f"{name}.pub"
        assert public.read_text() == printed and f"Public key written to charity-keys/{name}.pub" in said
        (files / "keys" / f"{name}.nk").unlink()
        shutil.copy(public, files / "keys")
    forum("nats", "accounts", "--topology", str(TOPOLOGY), "--keys", "keys", "--out", "hub/accounts.conf", cwd=files)
    assert not (files / "keys" / "service-signposting.nk").exists()  # the hub's operator holds no seed of theirs
    (files / "leaf").mkdir()
    forum("nats", "leaf", "--organisation", "CHARITY", "--topology", str(TOPOLOGY), "--keys", "keys",
          "--out", "leaf/leaf-accounts.conf", cwd=files)
    shutil.copy(ROOT / "deploy" / "nats" / "leaf.conf", files / "leaf" / "leaf.conf")
    leaf_env = {"NATS_SERVER_NAME": "charity-leaf", "NATS_LISTEN": f"127.0.0.1:{local_port}",
                "NATS_HUB_LEAF_URL": f"tls://127.0.0.1:{leaf_port}",
                "NATS_LEAF_SEED": (files / "charity-keys" / "leaf-CHARITY.nk").read_text().strip(),
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
            "FORUM_SIGNPOSTING_NATS_KEY": str(files / "charity-keys" / "service-signposting.nk"),
            "FORUM_NATS_CA": str(files / "tls" / "ca.crt"), "FORUM_SITES": "{}",
            "SIGNPOSTING_SECRET_KEY": "a-long-random-value-for-this-test-" + uuid.uuid4().hex,
            "SIGNPOSTING_DB_PASSWORD": "unused", "POSTGRES_PASSWORD": "unused"})
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


async def test_the_trust_and_the_sun_run_their_services_straight_to_the_hub_as_their_compose_files_say(
    hub_files, monkeypatch
):
    """Direct mode: deploy/partner/trust.yml's and sun.yml's services, each given only what its file
    gives it (and only the variables direct mode needs), connect to the hub over TLS with their own
    keys; an escalation raised at the SUN reaches the trust's next meeting agenda."""
    import feedback.app
    import feedback.config
    import meetings.app
    import meetings.config
    import membership.app
    import membership.config

    files = hub_files
    hub_port = free_port()
    running = {"trust": {"membership": membership, "meetings": meetings}, "sun": {"feedback": feedback}}
    with nats_process(files / "hub" / "hub.conf", hub_env(files, "hub", hub_port, free_port(), "js"), hub_port):
        settings = {}
        for organisation, services in running.items():
            values = {"FORUM_NATS_URL": f"tls://127.0.0.1:{hub_port}", "FORUM_NATS_CA": str(files / "tls" / "ca.crt"),
                      "FORUM_SITES": "{}", "POSTGRES_PASSWORD": "unused"}
            for name in services:
                values |= {f"FORUM_{name.upper()}_NATS_KEY": str(files / "keys" / f"service-{name}.nk"),
                           f"{name.upper()}_SECRET_KEY": "a-long-random-value-for-this-test-" + uuid.uuid4().hex,
                           f"{name.upper()}_DB_PASSWORD": "unused"}
            for name, package in services.items():
                env = compose_as_process(files, organisation, name, values)
                env[f"{name.upper()}_DATABASE_URL"] = f"sqlite+aiosqlite:///{files}/{name}.db"
                for key, value in env.items():
                    monkeypatch.setenv(key, value)
                settings[name] = package.config.Settings(retry_backoff_seconds=0.05, outbox_poll_seconds=0.2,
                                                         log_level="WARNING")
                assert settings[name].environment == "production"
                assert settings[name].nats_url == [f"tls://127.0.0.1:{hub_port}"]
                assert not settings[name].nats_jetstream_domain  # straight to the hub: no leaf
        async with (
            run_service(feedback.app.create_app, settings["feedback"]) as fb,  # first: it declares FEEDBACK
            run_service(membership.app.create_app, settings["membership"]) as ms,
            run_service(meetings.app.create_app, settings["meetings"]) as mt,
        ):
            for service in (fb, ms, mt):
                assert (await service.client.get("/ready")).json()["checks"]["nats"] == "ok"
            await mt.wait_subscribed("meetings-add_escalation_to_agenda")
            item = (await fb.client.post("/feedback", json={"text": "Nobody called back after discharge"})).json()
            raised = await fb.staff.post(f"/feedback/{item['id']}/escalations",
                                         json={"summary": "No follow-up after discharge", "reason": "Same gap"})
            assert raised.status_code == 201, raised.text

            async def on_the_agenda():
                waiting = (await mt.staff.get("/agenda/waiting")).json()
                return [i for i in waiting if i["escalation_id"] == raised.json()["id"]]

            await wait_for(on_the_agenda, timeout=30, what="the SUN's escalation waiting on the trust's agenda")


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
