"""NATS connection settings need no code change: credentials, and other partners' events under a prefix."""

import asyncio
from datetime import UTC, date, datetime
from pathlib import Path

import nats

from forum_shared.events import Envelope, IssueEscalated
from forum_shared.testing import NatsServer, run_service, settings_for, wait_for

from .services import start


async def test_a_service_connects_with_a_user_and_password(tmp_path: Path, database_url):
    import feedback.app
    import feedback.config

    server = NatsServer(tmp_path / "nats", extra_args=["--user", "trust", "--pass", "s3cret-Passw0rd"])
    server.start()
    try:
        wrong = settings_for(feedback.config.Settings, database_url=await database_url("wrong"),
                             nats_url=server.url, nats_user="trust", nats_password="nope")
        async with run_service(feedback.app.create_app, wrong) as fb:
            for _ in range(20):  # a wrong password never gets it connected
                assert (await fb.client.get("/ready")).status_code == 503
                await asyncio.sleep(0.1)
        right = settings_for(feedback.config.Settings, database_url=await database_url("feedback"),
                             nats_url=server.url, nats_user="trust", nats_password="s3cret-Passw0rd")
        async with run_service(feedback.app.create_app, right) as fb:
            async def ready():
                return (await fb.client.get("/ready")).status_code == 200

            await wait_for(ready, what="ready with credentials")
    finally:
        server.stop()


async def test_events_of_another_organisation_arrive_under_an_import_prefix(own_nats_server, database_url, monkeypatch):
    # In a multi-account deployment the trust's feedback events reach the meetings owner as
    # `from.trust.forum.feedback.…` in a stream of its own; only settings change.
    monkeypatch.setenv("MEETINGS_NATS_IMPORT_PREFIX", "from.trust.")
    monkeypatch.setenv("MEETINGS_NATS_IMPORT_STREAMS", '{"feedback": "TRUST_FEEDBACK"}')
    nc = await nats.connect(own_nats_server.url)
    js = nc.jetstream()
    await js.add_stream(name="TRUST_FEEDBACK", subjects=["from.trust.forum.feedback.>"])
    async with await start("meetings", own_nats_server, database_url) as mt:
        assert mt.kit.settings.nats_import_prefix == "from.trust."
        await mt.wait_subscribed("meetings-add_escalation_to_agenda")
        event = IssueEscalated(escalation_id="esc-imported", summary="Imported concern", reason="r",
                               raised_by="staff", respond_by=date(2027, 1, 5), raised_at=datetime.now(UTC))
        envelope = Envelope.wrap(event, source="/forum/feedback")
        await js.publish("from.trust." + envelope.subject, envelope.body(), headers=envelope.headers())

        async def waiting():
            return [i for i in (await mt.staff.get("/agenda/waiting")).json() if i["escalation_id"] == "esc-imported"]

        await wait_for(waiting, what="imported escalation on the waiting agenda")
    await nc.close()


async def test_an_event_names_the_request_that_caused_it(nats_server, database_url):
    from forum_shared.testing import read_stream

    async with await start("feedback", nats_server, database_url) as fb:
        resp = await fb.client.post("/feedback", json={"text": "Trace me"}, headers={"X-Request-ID": "req-trace-123"})
        assert resp.headers["X-Request-ID"] == "req-trace-123"
        feedback_id = resp.json()["id"]

        async def mine():
            return [m for m in await read_stream(nats_server.url, "FEEDBACK") if feedback_id.encode() in m.data]

        [message] = await wait_for(mine, what="event published")
        assert message.headers["ce-causationid"] == "req-trace-123"
        assert message.headers["ce-correlationid"] == "req-trace-123"
