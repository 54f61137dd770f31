"""Deployment files: the NATS configurations are the kit's own and durable; compose settings reach each
service. Each configuration is run for real in test_deploy_running.py."""

import importlib
import re
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from forum_shared.federation.deploy_files import deploy_files
from forum_shared.federation.topology import Topology

from .services import NAMES

ROOT = Path(__file__).resolve().parents[1]
NATS = ROOT / "deploy" / "nats"


def test_the_nats_configurations_are_the_ones_the_kit_makes():
    """`forum nats deploy-files` writes them; run it after changing the kit's configuration."""
    for name, text in deploy_files().items():
        assert (NATS / name).read_text() == text, f"deploy/nats/{name} is out of date: run forum nats deploy-files"
    assert {p.name for p in NATS.glob("*.conf")} == set(deploy_files())


def test_the_topology_file_runs_every_service_in_an_organisation_of_its_own_choosing():
    topology = Topology.load(NATS / "topology.toml")
    assert sorted(s for services in topology.organisations.values() for s in services) == sorted(NAMES)
    assert topology.accounts == Topology().accounts  # the embedded default is the same topology


@pytest.mark.parametrize("name", sorted(deploy_files()))
def test_jetstream_syncs_every_write_and_monitoring_stays_private(name):
    text = (NATS / name).read_text()
    if name != "leaf.conf":  # a leaf node keeps no streams: the hub does
        assert 'sync_interval: "always"' in text and "http: $NATS_MONITOR_LISTEN" in text
    assert "no_auth_user" not in text and "authorization" not in text.split("cluster")[0]


COMPOSE_VARIABLE = re.compile(r"\$\{(\w+)[^}]*\}")
COMPOSE_REFERENCE = re.compile(r"\$\{(\w+)(?:(:?[-?])([^}]*))?\}")


class MissingVariable(LookupError):
    pass


def interpolated(node, values: dict[str, str]):
    """`node` (a parsed compose file, or part of it) as compose fills it in from `values`. Compose
    fills in every service, a profile's not enabled too, so a `${VAR:?…}` anywhere stops it when VAR
    is unset: `${VAR:-default}` and `${VAR-default}` give the default, `${VAR}` gives ""."""
    if isinstance(node, dict):
        return {key: interpolated(value, values) for key, value in node.items()}
    if isinstance(node, list):
        return [interpolated(value, values) for value in node]
    if not isinstance(node, str):
        return node

    def fill(match: re.Match) -> str:
        name, operator, argument = match.groups()
        value = values.get(name)
        missing = value is None or (value == "" and operator in (":-", ":?"))
        if missing and operator in (":?", "?"):
            raise MissingVariable(f"required variable {name} is missing a value: {argument}")
        if missing and operator in (":-", "-"):
            return argument
        return value or ""

    return COMPOSE_REFERENCE.sub(fill, node)


SAMPLES = {"FORUM_SITES": '{"membership": "https://join.example.org"}', "FORUM_NATS_URL": "tls://nats.example.org:4222"}


def sample_value(variable: str) -> str:
    return SAMPLES.get(variable, f"sample-{variable.lower()}")


def with_sample_values(value: str) -> str:
    """`value` as compose would give it with every `${VAR...}` set: sample values, not the defaults
    or error messages that follow the name."""
    return COMPOSE_VARIABLE.sub(lambda m: sample_value(m.group(1)), value)


def test_compose_gives_each_service_its_own_postgres_database_and_nats(monkeypatch):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    postgres = compose["services"]["postgres"]
    superuser = with_sample_values(postgres["environment"].get("POSTGRES_USER", "postgres"))
    for name in NAMES:
        env = compose["services"][name]["environment"]
        for key, value in env.items():
            monkeypatch.setenv(key, with_sample_values(str(value)))
        settings = importlib.import_module(f"{name}.config").Settings()
        url = make_url(settings.database_url)
        assert url.drivername == "postgresql+asyncpg"
        assert (url.username, url.host, url.port, url.database) == (name, "postgres", 5432, name)
        assert url.username != superuser
        assert url.password == sample_value(f"{name.upper()}_DB_PASSWORD")
        assert settings.nats_url == ["tls://nats:4222"] and settings.nats_tls_ca_file
        assert settings.nats_nkey_seed_file and settings.nats_accounts == Topology().accounts
        assert settings.port == 8000 and settings.host == "0.0.0.0"
        assert set(settings.forum_sites) == set(NAMES)
    # The roles those URLs log in as are made by the init script, from the same variables.
    init_script = "./deploy/postgres/create-databases.sh:/docker-entrypoint-initdb.d/create-databases.sh:ro"
    assert init_script in postgres["volumes"]
    assert not [v for v in postgres["volumes"] if "/docker-entrypoint-initdb.d/" in v and ".sql" in v]
    for variable in ["POSTGRES_PASSWORD", *(f"{name.upper()}_DB_PASSWORD" for name in NAMES)]:
        assert postgres["environment"][variable].startswith(f"${{{variable}:?")


def test_compose_keeps_nats_to_this_machine_with_keys_and_tls():
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    nats = compose["services"]["nats"]
    assert nats["command"] == ["-c", "/etc/nats/hub.conf"]
    assert all(port.startswith("127.0.0.1:") for port in nats["ports"])
    assert nats["environment"]["NATS_MONITOR_LISTEN"].startswith("127.0.0.1:")
    setup = compose["services"]["nats-setup"]["command"]
    assert setup[:3] == ["forum", "nats", "setup"]
    for name in NAMES:  # each service sees its own key only
        [mount] = compose["services"][name]["volumes"]
        assert mount["volume"] == {"subpath": name} and mount["read_only"]


@pytest.mark.parametrize("organisation", ["trust", "sun", "charity"])
def test_a_partner_compose_runs_only_its_own_services_each_with_its_own_database_role(organisation, monkeypatch):
    compose = yaml.safe_load((ROOT / "deploy" / "partner" / f"{organisation}.yml").read_text())
    topology = Topology.load(NATS / "topology.toml")
    services = topology.organisations[organisation.upper()]
    assert set(compose["services"]) == {"postgres", "leaf", *services}
    assert compose["services"]["postgres"]["environment"]["FORUM_DATABASES"].split() == list(services)
    assert compose["services"]["leaf"]["environment"]["NATS_ORGANISATION"] == organisation.upper()
    for name in services:
        for key, value in compose["services"][name]["environment"].items():
            monkeypatch.setenv(key, with_sample_values(str(value)))
        settings = importlib.import_module(f"{name}.config").Settings()
        assert make_url(settings.database_url).username == name
        assert settings.nats_nkey_seed_file and settings.nats_tls_ca_file
        assert settings.nats_accounts == topology.accounts
        assert settings.environment == "production"


def compose_variables(node) -> set[str]:
    """The variables `node` (a parsed compose file, or part of it) names."""
    if isinstance(node, dict):
        return set().union(*(compose_variables(value) for value in node.values()))
    if isinstance(node, list):
        return set().union(*(compose_variables(value) for value in node))
    return set(COMPOSE_VARIABLE.findall(node)) if isinstance(node, str) else set()


@pytest.mark.parametrize("organisation", ["trust", "sun", "charity"])
def test_a_partner_compose_connecting_straight_to_the_hub_needs_only_the_variables_its_services_use(organisation):
    """Compose fills in every service's variables, the leaf's too when `--profile leaf` is not
    given: a `${VAR:?…}` there would stop direct mode for want of a leaf's URL, seed and accounts."""
    compose = yaml.safe_load((ROOT / "deploy" / "partner" / f"{organisation}.yml").read_text())
    direct = {name: spec for name, spec in compose["services"].items() if not spec.get("profiles")}
    assert set(compose["services"]) - set(direct) == {"leaf"}
    uses = compose_variables(direct)
    leaf_only = {"FORUM_HUB_LEAF_URL", "FORUM_LEAF_SEED", "FORUM_LEAF_ACCOUNTS"}
    assert compose_variables(compose["services"]["leaf"]) - uses == leaf_only
    values = {name: sample_value(name) for name in uses}
    filled = interpolated(compose, values)  # what direct mode is given is enough
    for name in sorted(uses - {"FORUM_NATS_DOMAIN"}):  # and each of it is needed
        with pytest.raises(MissingVariable, match=name):
            interpolated(compose, {key: value for key, value in values.items() if key != name})
    # The leaf, given none of its own: it does not start (nats-server cannot parse these values,
    # and Docker binds no file that is not there), rather than start half set up.
    leaf = filled["services"]["leaf"]
    assert leaf["environment"]["NATS_HUB_LEAF_URL"] == "FORUM_HUB_LEAF_URL is not set"
    assert leaf["environment"]["NATS_LEAF_SEED"] == "FORUM_LEAF_SEED is not set"
    [accounts] = [volume for volume in leaf["volumes"] if isinstance(volume, dict)]
    assert accounts["target"] == "/etc/nats/leaf-accounts.conf" and accounts["bind"] == {"create_host_path": False}
    assert not Path(accounts["source"]).exists()
    # With the leaf profile's own variables, the leaf gets them.
    leaf = interpolated(compose, {**values, **{name: sample_value(name) for name in leaf_only}})["services"]["leaf"]
    assert leaf["environment"]["NATS_HUB_LEAF_URL"] == sample_value("FORUM_HUB_LEAF_URL")
    assert leaf["environment"]["NATS_LEAF_SEED"] == sample_value("FORUM_LEAF_SEED")
    assert [v for v in leaf["volumes"] if isinstance(v, dict)][0]["source"] == sample_value("FORUM_LEAF_ACCOUNTS")


def test_the_service_image_builds_each_service_from_the_workspace_as_a_user_that_is_not_root():
    """No container engine here to build it: check what it names exists and what it runs as."""
    dockerfile = (ROOT / "deploy" / "service.Dockerfile").read_text()
    assert "uv sync --frozen --no-dev --package forum-${SERVICE}" in dockerfile
    assert "USER forum" in dockerfile and "--uid 1000" in dockerfile  # compose hands keys to uid 1000
    for name in NAMES:
        project = (ROOT / "services" / name / "pyproject.toml").read_text()
        assert f'name = "forum-{name}"' in project
        assert (ROOT / "services" / name / name / "__main__.py").exists()
