"""Faults: losing the stream leader of a 3-node JetStream cluster loses and duplicates nothing."""

import asyncio

import pytest

from forum_shared.testing import nats_cluster, read_stream, run_service, settings_for, wait_for


@pytest.mark.parametrize("backend", ["sqlite"], indirect=True)
async def test_killing_the_stream_leader_mid_stream_loses_and_duplicates_no_event(tmp_path, backend, database_url):
    import feedback.app
    import feedback.config

    servers = nats_cluster(tmp_path)
    for server in servers:
        server.start()
    urls = [s.url for s in servers]
    try:
        settings = settings_for(feedback.config.Settings, database_url=await database_url("feedback"),
                                **{**servers[0].settings("feedback"), "nats_url": urls}, stream_replicas=3)
        async with run_service(feedback.app.create_app, settings) as fb:
            await wait_for(lambda: fb.kit.messaging.ready, what="connected")
            federation = servers[0].federation
            nc = await federation.connect(urls, federation.admin_for_stream("FEEDBACK"))
            js = nc.jetstream()

            async def leader():
                try:
                    info = await js.stream_info("FEEDBACK")
                except Exception:  # noqa: BLE001 - stream not there yet or mid-election
                    return None
                return info.cluster.leader if info.cluster and len(info.cluster.replicas or []) == 2 else None

            leader_name = await wait_for(leader, timeout=30, what="FEEDBACK to have a leader and 2 replicas")
            await nc.close()

            sent: list[str] = []

            async def give_feedback(count: int) -> None:
                for _ in range(count):
                    resp = await fb.client.post("/feedback", json={"text": f"View {len(sent)}", "area": "Ely"})
                    assert resp.status_code == 201
                    sent.append(resp.json()["id"])
                    # Spacing, not a check: views arrive over time, so the relay publishes them through
                    # the election rather than in one batch.
                    await asyncio.sleep(0.01)

            await give_feedback(30)
            victim = next(s for s in servers if s.server_name == leader_name)
            victim.stop()  # publishing stalls for a few seconds while a new leader is elected
            await give_feedback(30)
            victim.start()
            await give_feedback(10)

            survivor = next(s for s in servers if s is not victim)

            async def all_published():
                try:
                    ids = [m.data for m in await read_stream(survivor, "FEEDBACK")]
                except Exception:  # noqa: BLE001 - the stream not answering yet, mid-election
                    return None
                return len(ids) >= len(sent) and ids

            await wait_for(all_published, timeout=60, what="every event published")
            messages = await read_stream(survivor, "FEEDBACK")
            from forum_shared.events import FeedbackReceived

            published = [FeedbackReceived.model_validate_json(m.data).feedback_id for m in messages]
            assert published == sent
    finally:
        for server in servers:
            server.stop()
