"""The testing kit runs NATS and PostgreSQL in containers where a Docker engine answers, and on
this machine's own binaries where none does (a `docker` client alone is not an engine)."""

from forum_shared import testing


def test_local_binaries_run_where_no_docker_engine_answers(monkeypatch):
    testing.docker_engine.cache_clear()
    monkeypatch.setenv("DOCKER_HOST", "unix:///nonexistent/docker.sock")
    try:
        assert testing.docker_engine() is False
        assert testing.nats_server_class() is testing.NatsServer
    finally:
        testing.docker_engine.cache_clear()


def test_containers_run_where_an_engine_answers_unless_turned_off(monkeypatch):
    monkeypatch.setattr(testing, "docker_engine", lambda: True)
    assert testing.nats_server_class() is testing.ContainerNatsServer
    monkeypatch.undo()
    testing.docker_engine.cache_clear()
    monkeypatch.setenv("FORUM_TEST_CONTAINERS", "0")
    try:
        assert testing.docker_engine() is False
    finally:
        testing.docker_engine.cache_clear()
