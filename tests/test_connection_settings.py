"""NATS connection settings: a service's own key, and clear errors when it is wrong or missing."""

from pathlib import Path

import pytest

from forum_shared.messaging import CredentialsRefused
from forum_shared.testing import NatsServer, run_service, settings_for, wait_for

from .services import start


async def test_a_service_with_wrong_credentials_stops_at_start_naming_the_setting(tmp_path: Path, database_url):
    import feedback.app
    import feedback.config

    server = NatsServer(tmp_path / "nats", extra_args=["--user", "trust", "--pass", "s3cret-Passw0rd"], federated=False)
    server.start()
    try:
        wrong = settings_for(feedback.config.Settings, database_url=await database_url("wrong"),
                             nats_url=server.url, nats_user="trust", nats_password="nope")
        with pytest.raises(CredentialsRefused, match="FEEDBACK_NATS_USER"):
            async with run_service(feedback.app.create_app, wrong):
                pass
        right = settings_for(feedback.config.Settings, database_url=await database_url("feedback"),
                             nats_url=server.url, nats_user="trust", nats_password="s3cret-Passw0rd")
        async with run_service(feedback.app.create_app, right) as fb:
            async def ready():
                return (await fb.client.get("/ready")).status_code == 200

            await wait_for(ready, what="ready with credentials")
    finally:
        server.stop()


async def test_a_missing_key_file_stops_the_service_naming_the_setting(nats_server, database_url, tmp_path):
    with pytest.raises(ValueError, match="MEETINGS_NATS_NKEY_SEED_FILE"):
        async with await start("meetings", nats_server, database_url, nats_nkey_seed_file=tmp_path / "nope.nk"):
            pass
    # A service that gets no key at all is refused by the forum's NATS.
    with pytest.raises(CredentialsRefused, match="MEETINGS_NATS_NKEY_SEED_FILE"):
        async with await start("meetings", nats_server, database_url, nats_nkey_seed_file=None):
            pass


async def test_another_services_key_stops_the_service_at_start_and_the_violation_is_logged_with_its_subject(
    nats_server, database_url, capfd
):
    """Feedback started with the charity's key (a copied seed file): NATS accepts the key, but it
    may not use the FEEDBACK stream. NATS says so only to the connection's error callback; the
    service logs it and stops at start, naming the setting."""
    borrowed = nats_server.federation.seed_file("service-signposting")
    with pytest.raises(CredentialsRefused, match="FEEDBACK_NATS_NKEY_SEED_FILE.*not the feedback service's"):
        async with await start("feedback", nats_server, database_url, nats_nkey_seed_file=borrowed):
            pass
    logged = capfd.readouterr().err
    assert "nats permission violation" in logged and "$JS.API.STREAM.INFO.FEEDBACK" in logged.upper()


async def test_an_event_names_the_request_that_caused_it(nats_server, database_url):
    from forum_shared.testing import read_stream

    async with await start("feedback", nats_server, database_url) as fb:
        resp = await fb.client.post("/feedback", json={"text": "Trace me"}, headers={"X-Request-ID": "req-trace-123"})
        assert resp.headers["X-Request-ID"] == "req-trace-123"
        feedback_id = resp.json()["id"]

        async def mine():
            return [m for m in await read_stream(nats_server, "FEEDBACK") if feedback_id.encode() in m.data]

        [message] = await wait_for(mine, what="event published")
        assert message.headers["ce-causationid"] == "req-trace-123"
        assert message.headers["ce-correlationid"] == "req-trace-123"
