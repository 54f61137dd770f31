from feedback.app import create_app
from feedback.config import Settings
from forum_shared.testing import read_stream, run_service, settings_for, wait_for


async def service(nats_server, database_url):
    settings = settings_for(Settings, database_url=await database_url("feedback"), nats_url=nats_server.url)
    return run_service(create_app, settings)


async def test_feedback_is_recorded_and_its_event_published(nats_server, database_url):
    async with await service(nats_server, database_url) as fb:
        resp = await fb.client.post("/feedback", json={"text": "  The crisis line took an hour  ", "area": "Fenland", "themes": ["Crisis", "crisis "]})
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["text"] == "The crisis line took an hour"
        assert body["themes"] == ["crisis"]

        async def published():
            msgs = await read_stream(nats_server.url, "FEEDBACK", "forum.feedback.feedback_received.v1")
            return [m for m in msgs if m.headers["ce-id"] and b'"' + body["id"].encode() in m.data]

        msgs = await wait_for(published, what="FeedbackReceived in the stream")
        assert msgs[0].headers["Nats-Msg-Id"] == msgs[0].headers["ce-id"]
        assert b"crisis line" not in msgs[0].data  # the words stay in the feedback service


async def test_empty_feedback_is_refused_with_a_readable_message(nats_server, database_url):
    async with await service(nats_server, database_url) as fb:
        resp = await fb.client.post("/feedback", json={"text": "   "})
        assert resp.status_code == 422
        assert "cannot be empty" in resp.json()["detail"]
        resp = await fb.client.post("/feedback", content=b"{not json", headers={"content-type": "application/json"})
        assert resp.status_code == 422
        assert "not valid JSON" in resp.json()["detail"]
