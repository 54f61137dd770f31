"""The forum's whole purpose, end to end over real NATS with all four services: views heard at
pop-up forums in three community groups, on the same theme, are joined up into one escalation that
reaches a governor and the next forum meeting's agenda."""

import asyncio
from datetime import UTC, date, datetime, timedelta

from forum_shared.governors import watch
from forum_shared.testing import wait_for

from .services import start

THEME = "access to services"


async def ok(resp, status: int = 201):
    assert resp.status_code == status, resp.text
    return resp.json()


async def test_views_from_three_pop_up_forums_become_one_escalation_for_governors_and_the_agenda(
    own_nats_server, database_url
):
    nats = own_nats_server
    async with (
        await start("signposting", nats, database_url) as sp,
        await start("membership", nats, database_url) as ms,
        await start("meetings", nats, database_url) as mt,
        await start("feedback", nats, database_url) as fb,
    ):
        # Signposting: three community groups that can host pop-up forums.
        groups = [
            await ok(await sp.staff.post("/community-groups", json={"name": name, "areas": [area]}))
            for name, area in [("Wisbech Wellbeing Café", "Fenland"), ("March Men's Shed", "Fenland"),
                               ("Ely Carers' Circle", "East Cambridgeshire")]
        ]
        # Membership: two members take up the pop-up facilitator role.
        role = await ok(await ms.staff.post("/roles", json={
            "title": "Pop-up forum facilitator", "description": "Take the forum to community groups, in pairs.",
            "hours_per_month": "6", "paid": True, "hourly_rate": "15.00", "vacancies": 2}))
        facilitators = []
        for name in ("Jo", "Priya"):
            member = await ok(await ms.staff.post("/members", json={"display_name": name}))
            starts_on = (date.today() - timedelta(days=7)).isoformat()
            await ok(await ms.staff.post(f"/roles/{role['id']}/assignments",
                                          json={"member_id": member["id"], "starts_on": starts_on}))
            facilitators.append(member["id"])

        # Meetings learns both from events alone.
        async def meetings_knows_everyone():
            hosts = (await mt.staff.get("/community-groups")).json()
            holders = (await mt.staff.get("/role-holders")).json()
            return len(hosts) == 3 and {h["member_id"] for h in holders} == set(facilitators)

        await wait_for(meetings_knows_everyone, timeout=30, what="meetings' read models filled from events")

        start_at = datetime.now(UTC) + timedelta(days=10)
        meeting = await ok(await mt.staff.post("/meetings", json={
            "starts_at": start_at.isoformat(), "ends_at": (start_at + timedelta(hours=2)).isoformat(),
            "venue": "Wisbech Library", "area": "Fenland"}))

        governor: list = []
        stop = asyncio.Event()
        as_margaret = await nats.add_governor("Margaret")
        watcher = asyncio.create_task(
            watch("Margaret", nats.url, governor.append, stop=stop, connect_options=as_margaret)
        )

        # Three pop-up forums are held; at each, staff record a view on the same theme.
        for group in groups:
            held_at = datetime.now(UTC) - timedelta(hours=3)
            pop_up = await ok(await mt.staff.post("/pop-up-forums", json={
                "community_group_id": group["id"], "facilitator_member_ids": facilitators,
                "starts_at": held_at.isoformat(), "ends_at": (held_at + timedelta(hours=2)).isoformat(),
                "topics": ["Getting a first appointment"]}))
            await ok(await mt.staff.post(f"/pop-up-forums/{pop_up['id']}/held",
                                          json={"participants": 12, "shared": "Plans for the new referral line"}), 200)
            await ok(await fb.staff.post(f"/pop-up-forums/{pop_up['id']}/feedback", json={
                "entered_by": "Sam (involvement team)",
                "views": [{"text": f"At {group['name']}: months to get a first appointment", "themes": [THEME],
                           "polarity": "negative"}]}))

        async def cluster_escalation():
            found = [e for e in (await fb.staff.get("/escalations")).json() if e["raised_by"] == "theme_cluster"]
            return found[0] if found else None

        escalation = await wait_for(cluster_escalation, timeout=30, what="theme-cluster escalation")
        assert THEME in escalation["themes"]
        assert len(escalation["feedback_ids"]) == 3

        await wait_for(lambda: [e for e in governor if e.data.escalation_id == escalation["id"]], timeout=30,
                       what="the governor is told")
        stop.set()
        await watcher

        async def on_agenda():
            agenda = (await mt.staff.get(f"/meetings/{meeting['id']}")).json()["agenda"]
            return [a for a in agenda if a.get("escalation_id") == escalation["id"]]

        await wait_for(on_agenda, timeout=30, what="the escalation on the next meeting's agenda")

        # The pop-up forums' facilitators have their time recorded for recognition and payment.
        async def time_recorded():
            month = date.today().strftime("%Y-%m")
            statement = (await ms.staff.get(f"/members/{facilitators[0]}/statements/{month}")).json()
            return statement if statement.get("entries") and len(statement["entries"]) >= 3 else None

        await wait_for(time_recorded, timeout=30, what="facilitators' involvement recorded")
