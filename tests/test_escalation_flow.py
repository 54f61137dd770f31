"""Across services over real NATS: feedback escalated by staff reaches the next forum meeting's agenda
and every governor, including one who was offline when it was raised."""

import asyncio
from datetime import UTC, datetime, timedelta

from forum_shared.governors import watch
from forum_shared.testing import wait_for

from .services import start


async def test_an_escalation_reaches_the_next_meeting_agenda_and_governors(nats_server, database_url):
    async with (
        await start("meetings", nats_server, database_url) as mt,
        await start("feedback", nats_server, database_url) as fb,
    ):
        await mt.wait_subscribed("meetings-add_escalation_to_agenda")
        online: list = []
        stop_online = asyncio.Event()
        as_online = await nats_server.add_governor("online-governor", new_only=True)
        online_task = asyncio.create_task(watch("online-governor", nats_server.url, online.append, stop=stop_online,
                                                connect_options=as_online))

        feedback = {"text": "Nobody called back after discharge", "area": "Huntingdon"}
        item = (await fb.client.post("/feedback", json=feedback)).json()
        escalation = {"summary": "No follow-up after discharge", "reason": "Several people, same gap"}
        resp = await fb.staff.post(f"/feedback/{item['id']}/escalations", json=escalation)
        assert resp.status_code == 201, resp.text
        escalation_id = resp.json()["id"]

        async def waiting():
            items = (await mt.staff.get("/agenda/waiting")).json()
            return [i for i in items if i["escalation_id"] == escalation_id]

        await wait_for(waiting, what="escalation waiting for a meeting to be scheduled")
        await wait_for(
            lambda: [e for e in online if e.data.escalation_id == escalation_id], what="online governor told"
        )
        stop_online.set()
        await online_task

        start_at = datetime.now(UTC) + timedelta(days=7)
        meeting = await mt.staff.post(
            "/meetings",
            json={"starts_at": start_at.isoformat(), "ends_at": (start_at + timedelta(hours=2)).isoformat(),
                  "venue": "Huntingdon Library", "area": "Huntingdonshire"},
        )
        assert meeting.status_code == 201, meeting.text
        agenda = [a for a in meeting.json()["agenda"] if a["escalation_id"] == escalation_id]
        assert len(agenda) == 1
        assert agenda[0]["title"] == "Escalated issue: No follow-up after discharge"

        # A governor who was never online when it was raised gets it on first start.
        late: list = []
        stop_late = asyncio.Event()
        as_late = await nats_server.add_governor("late-governor")
        late_task = asyncio.create_task(watch("late-governor", nats_server.url, late.append, stop=stop_late,
                                              connect_options=as_late))
        await wait_for(
            lambda: [e for e in late if e.data.escalation_id == escalation_id], what="offline governor catches up"
        )
        stop_late.set()
        await late_task
