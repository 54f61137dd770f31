"""Across services: feedback escalated by staff reaches the meetings agenda over real NATS."""

from datetime import UTC, datetime, timedelta

import feedback.app
import feedback.config
import meetings.app
import meetings.config
from forum_shared.testing import run_service, settings_for, wait_for


async def test_escalated_feedback_waits_for_and_joins_the_next_forum_meeting(nats_server, database_url):
    fb_settings = settings_for(feedback.config.Settings, database_url=await database_url("feedback"), nats_url=nats_server.url)
    mt_settings = settings_for(meetings.config.Settings, database_url=await database_url("meetings"), nats_url=nats_server.url)
    async with run_service(meetings.app.create_app, mt_settings) as mt, run_service(feedback.app.create_app, fb_settings) as fb:
        await mt.wait_subscribed()
        item = (await fb.client.post("/feedback", json={"text": "Nobody called back after discharge", "area": "Huntingdon"})).json()
        resp = await fb.client.post(f"/feedback/{item['id']}/escalations", json={"summary": "No follow-up after discharge", "reason": "Several people, same gap"})
        assert resp.status_code == 201, resp.text
        escalation_id = resp.json()["id"]

        async def waiting():
            items = (await mt.client.get("/agenda/waiting")).json()
            return [i for i in items if i["escalation_id"] == escalation_id]

        await wait_for(waiting, what="escalation waiting for a meeting")

        start = datetime.now(UTC) + timedelta(days=7)
        meeting = await mt.client.post(
            "/meetings",
            json={"starts_at": start.isoformat(), "ends_at": (start + timedelta(hours=2)).isoformat(), "venue": "Huntingdon Library", "area": "Huntingdon"},
        )
        assert meeting.status_code == 201, meeting.text
        agenda = meeting.json()["agenda"]
        assert [a["escalation_id"] for a in agenda] == [escalation_id]
        assert agenda[0]["title"] == "Escalated issue: No follow-up after discharge"
