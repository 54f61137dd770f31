"""Deployment files: NATS configurations are valid and durable; compose settings reach each service."""

import importlib
import subprocess
from pathlib import Path

import pytest
import yaml

from forum_shared.local import nats_server_binary

from .services import NAMES

ROOT = Path(__file__).resolve().parents[1]
NATS_CONFIGS = sorted((ROOT / "deploy" / "nats").rglob("*.conf"))


def test_there_are_single_node_and_three_node_cluster_configs():
    names = {p.relative_to(ROOT / "deploy" / "nats").as_posix() for p in NATS_CONFIGS}
    assert {"single.conf", "cluster/n1.conf", "cluster/n2.conf", "cluster/n3.conf"} <= names


@pytest.mark.parametrize("config", NATS_CONFIGS, ids=lambda p: p.name)
def test_a_nats_config_is_accepted_by_nats_server(config):
    result = subprocess.run([nats_server_binary(), "-t", "-c", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr + result.stdout


@pytest.mark.parametrize("config", NATS_CONFIGS, ids=lambda p: p.name)
def test_jetstream_syncs_every_write_and_durations_are_quoted(config):
    text = config.read_text()
    assert 'sync_interval: "always"' in text


def test_compose_gives_each_service_its_own_postgres_database_and_nats(monkeypatch):
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in NAMES:
        env = compose["services"][name]["environment"]
        for key, value in env.items():
            monkeypatch.setenv(key, str(value))
        settings = importlib.import_module(f"{name}.config").Settings()
        assert settings.database_url.endswith(f"@postgres:5432/{name}")
        assert settings.database_url.startswith("postgresql+asyncpg://")
        assert settings.nats_url == ["nats://nats:4222"]
        assert settings.port == 8000 and settings.host == "0.0.0.0"
        assert set(settings.forum_sites) == set(NAMES)
    created = (ROOT / "deploy" / "postgres" / "create-databases.sql").read_text()
    assert all(f"CREATE DATABASE {name};" in created for name in NAMES)
