"""The agenda: items, escalations from the feedback service, and actions carried forward."""

import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import update

from forum_shared.events import EscalationOverdue, EscalationResolved, IssueEscalated
from forum_shared.testing import wait_for
from meetings.store import meetings


def escalated(summary: str, escalation_id: str | None = None) -> IssueEscalated:
    return IssueEscalated(
        escalation_id=escalation_id or str(uuid.uuid4()),
        summary=summary,
        reason="Several people, same gap",
        raised_by="staff",
        respond_by=date(2030, 1, 31),
        raised_at=datetime.now(UTC),
    )


def overdue(event: IssueEscalated) -> EscalationOverdue:
    return EscalationOverdue(escalation_id=event.escalation_id, summary=event.summary, respond_by=event.respond_by)


# NATS keeps a durable consumer's place between tests, so escalations other tests raised may
# reach this service too: each test looks only at the items it made, or at its own escalations.
def ours(items: list[dict], *events) -> list[dict]:
    ids = {e.escalation_id for e in events}
    return [i for i in items if i["escalation_id"] is None or i["escalation_id"] in ids]


async def agenda_of(mt, meeting_id: str, *events) -> list[dict]:
    return ours((await mt.client.get(f"/meetings/{meeting_id}")).json()["agenda"], *events)


async def waiting(mt, *events) -> list[dict]:
    return ours((await mt.staff.get("/agenda/waiting")).json(), *events)


async def test_an_escalation_raised_while_no_forum_meeting_is_scheduled_joins_the_next_one(
    start_meetings, meeting_at, deliver
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        event = escalated("No follow-up after discharge")
        await deliver(event)
        items = await wait_for(lambda: waiting(mt, event), what="escalation waiting")
        assert [(i["escalation_id"], i["kind"]) for i in items] == [(event.escalation_id, "escalation")]

        # A meeting in the past, and a meeting closed to the public, do not take it.
        past = (await mt.staff.post("/meetings", json=meeting_at(days=-2))).json()
        closed = (await mt.staff.post("/meetings", json=meeting_at(days=3, public=False, area="Fenland"))).json()
        assert ours(past["agenda"], event) == [] and ours(closed["agenda"], event) == []
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=30, area="Huntingdonshire"))).json()
        assert [(a["escalation_id"], a["title"]) for a in ours(meeting["agenda"], event)] == [
            (event.escalation_id, "Escalated issue: No follow-up after discharge")
        ]
        assert ours(meeting["agenda"], event)[0]["respond_by"] == "2030-01-31"
        assert await waiting(mt, event) == []


async def test_an_escalation_goes_on_the_next_meeting_and_a_duplicate_changes_nothing(
    start_meetings, meeting_at, deliver
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        later = (await mt.staff.post("/meetings", json=meeting_at(days=40))).json()
        sooner = (await mt.staff.post("/meetings", json=meeting_at(days=10, area="Fenland"))).json()
        event = escalated("Long waits for a first appointment")
        envelope = await deliver(event)
        await deliver(envelope, again=True)  # the same event delivered twice
        await deliver(escalated(event.summary, event.escalation_id))  # the same escalation, raised again
        marker = escalated("Marker: everything before this has been processed")
        await deliver(marker)

        async def marker_arrived():
            return await _has(mt, sooner["id"], marker.escalation_id)

        await wait_for(marker_arrived, what="marker escalation")
        items = await agenda_of(mt, sooner["id"], event, marker)
        assert [a["escalation_id"] for a in items] == [event.escalation_id, marker.escalation_id]
        assert await agenda_of(mt, later["id"], event, marker) == []


async def test_a_cancelled_meetings_escalations_move_to_the_next_meeting_or_wait(start_meetings, meeting_at, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        first = (await mt.staff.post("/meetings", json=meeting_at(days=10))).json()
        event = escalated("Crisis line unanswered at night")
        await deliver(event)
        await wait_for(lambda: agenda_of(mt, first["id"], event), what="escalation on the first meeting")
        second = (await mt.staff.post("/meetings", json=meeting_at(days=40, area="Peterborough"))).json()

        await mt.staff.post(f"/meetings/{first['id']}/cancel", json={"reason": "Snow"})
        assert [a["escalation_id"] for a in await agenda_of(mt, second["id"], event)] == [event.escalation_id]
        await mt.staff.post(f"/meetings/{second['id']}/cancel", json={})
        assert [a["escalation_id"] for a in await waiting(mt, event)] == [event.escalation_id]


async def test_an_overdue_escalation_is_flagged_or_raised_again_at_the_next_meeting(
    start_meetings, meeting_at, deliver
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        upcoming = (await mt.staff.post("/meetings", json=meeting_at(days=10))).json()
        on_agenda = escalated("Still on the agenda")
        await deliver(on_agenda)
        await wait_for(lambda: agenda_of(mt, upcoming["id"], on_agenda), what="escalation on the agenda")
        await deliver(overdue(on_agenda))

        async def flagged():
            items = await agenda_of(mt, upcoming["id"], on_agenda)
            return items if items and items[0]["overdue"] else None

        items = await wait_for(flagged, what="overdue flag")
        assert [a["kind"] for a in items] == ["escalation"]

        # Never heard of before (e.g. raised before this service started): it goes on the agenda.
        unknown = escalated("Raised before we started listening")
        await deliver(overdue(unknown))
        await deliver(overdue(unknown))  # found overdue twice: still one item

        marker = escalated("Marker: every overdue escalation before this has been processed")
        await deliver(overdue(marker))
        await wait_for(lambda: _has(mt, upcoming["id"], marker.escalation_id), what="marker escalation")
        again = await agenda_of(mt, upcoming["id"], unknown)
        again = [a for a in again if a["escalation_id"] == unknown.escalation_id]
        assert len(again) == 1
        assert again[0]["kind"] == "overdue_escalation"
        assert again[0]["title"] == (
            "Overdue escalation: Raised before we started listening (a response was due by 31 January 2030)"
        )


async def test_an_escalation_discussed_at_a_held_meeting_comes_back_when_overdue(start_meetings, meeting_at, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        event = escalated("Discussed once already")
        await deliver(event)
        await wait_for(lambda: waiting(mt, event), what="escalation waiting")
        # A meeting about to start takes the waiting escalation; once it has started it is held.
        held = (
            await mt.staff.post("/meetings", json=meeting_at(start=datetime.now(UTC) + timedelta(seconds=1)))
        ).json()
        assert [a["escalation_id"] for a in ours(held["agenda"], event)] == [event.escalation_id]
        await wait_for(lambda: datetime.now(UTC) > datetime.fromisoformat(held["starts_at"]), what="meeting started")
        assert (await mt.staff.post(f"/meetings/{held['id']}/held", json={})).status_code == 200
        upcoming = (await mt.staff.post("/meetings", json=meeting_at(days=30, area="Fenland"))).json()

        await deliver(overdue(event))
        items = await wait_for(
            lambda: agenda_of(mt, upcoming["id"], event), what="overdue escalation on the next meeting"
        )
        assert [(a["escalation_id"], a["kind"]) for a in items] == [(event.escalation_id, "overdue_escalation")]
        assert [a["kind"] for a in await agenda_of(mt, held["id"], event)] == ["escalation"]


async def test_agenda_items_have_a_presenter_and_duration_and_can_be_reordered(start_meetings, meeting_at, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        meeting = (await mt.staff.post("/meetings", json=meeting_at(days=10))).json()
        url = f"/meetings/{meeting['id']}/agenda"
        welcome = (
            await mt.staff.post(url, json={"title": "Welcome", "presenter": "Chair", "duration_minutes": 10})
        ).json()
        update = (
            await mt.staff.post(
                url, json={"title": "Trust update", "presenter": "Director of Nursing", "duration_minutes": 30}
            )
        ).json()
        event = escalated("Interpreters not booked")
        await deliver(event)
        await wait_for(lambda: _has(mt, meeting["id"], event.escalation_id), what="escalation on the agenda")

        moved = await mt.staff.patch(f"{url}/{update['id']}", json={"position": 0, "duration_minutes": 45})
        assert moved.status_code == 200 and moved.json()["duration_minutes"] == 45
        items = await agenda_of(mt, meeting["id"], event)
        assert [a["title"] for a in items] == ["Trust update", "Welcome", "Escalated issue: Interpreters not booked"]

        escalation_item = items[2]
        presenter = await mt.staff.patch(f"{url}/{escalation_item['id']}", json={"presenter": "Lead governor"})
        assert presenter.json()["presenter"] == "Lead governor"
        refused = await mt.staff.delete(f"{url}/{escalation_item['id']}")
        assert refused.status_code == 409 and "stay on the agenda" in refused.json()["detail"]
        assert (await mt.staff.delete(f"{url}/{welcome['id']}")).status_code == 204
        assert [a["title"] for a in await agenda_of(mt, meeting["id"], event)][0] == "Trust update"

        too_long = await mt.staff.post(url, json={"title": "Everything", "duration_minutes": 900})
        assert too_long.status_code == 422 and "duration_minutes" in too_long.json()["detail"]
        assert (await mt.staff.post(url, json={"title": ""})).status_code == 422
        assert (await mt.staff.patch(f"{url}/nope", json={"title": "x"})).status_code == 404
        await mt.staff.post(f"/meetings/{meeting['id']}/cancel", json={})
        closed = await mt.staff.post(url, json={"title": "Late item"})
        assert closed.status_code == 409 and "cancelled" in closed.json()["detail"]


async def _has(mt, meeting_id: str, escalation_id: str) -> bool:
    agenda = (await mt.client.get(f"/meetings/{meeting_id}")).json()["agenda"]
    return any(a["escalation_id"] == escalation_id for a in agenda)


async def test_actions_overdue_from_earlier_meetings_are_carried_forward_until_done(start_meetings, meeting_at):
    async with start_meetings() as mt:
        earlier = (await mt.staff.post("/meetings", json=meeting_at(days=-40))).json()
        today = datetime.now(UTC).date()
        held = await mt.staff.post(
            f"/meetings/{earlier['id']}/held",
            json={
                "actions": [
                    {
                        "description": "Publish the carers' leaflet",
                        "owner_name": "Communications team",
                        "due_on": str(today - timedelta(days=10)),
                    },
                    {
                        "description": "Review parking at the hospital",
                        "owner_name": "Estates",
                        "due_on": str(today + timedelta(days=300)),
                    },
                    {"description": "Keep listening", "owner_name": "Everyone"},
                ]
            },
        )
        assert held.status_code == 200, held.text
        leaflet = held.json()["actions"][0]

        last_week = (await mt.staff.post("/meetings", json=meeting_at(days=-1, area="Fenland"))).json()
        next_month = (await mt.staff.post("/meetings", json=meeting_at(days=30, area="Huntingdonshire"))).json()
        for meeting in (last_week, next_month):
            carried = [a for a in await agenda_of(mt, meeting["id"]) if a["kind"] == "carried_action"]
            assert [a["action_id"] for a in carried] == [leaflet["id"]]
            assert "Publish the carers' leaflet (Communications team, due" in carried[0]["title"]

        # Held meetings keep what was on their agenda; completed actions stop being carried.
        assert (await mt.staff.post(f"/meetings/{last_week['id']}/held", json={})).status_code == 200
        done = await mt.staff.post(f"/actions/{leaflet['id']}/complete", json={})
        assert done.status_code == 200 and done.json()["status"] == "completed"
        assert [a["action_id"] for a in await agenda_of(mt, last_week["id"])] == [leaflet["id"]]
        assert await agenda_of(mt, next_month["id"]) == []  # none of this test's own items left


async def test_a_resolved_escalation_leaves_upcoming_agendas_but_stays_in_the_record_of_a_held_meeting(
    start_meetings, meeting_at, deliver
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        held = (await mt.staff.post("/meetings", json=meeting_at(days=2, area="East Cambridgeshire"))).json()
        discussed = escalated("Discussed already, then resolved")
        await deliver(discussed)
        await wait_for(lambda: _has(mt, held["id"], discussed.escalation_id), what="escalation on the agenda")
        async with mt.db.transaction() as session:  # the day of the meeting comes
            now = datetime.now(UTC)
            await session.execute(
                update(meetings).where(meetings.c.id == held["id"]).values(
                    starts_at=now - timedelta(hours=3), ends_at=now - timedelta(hours=1)
                )
            )
        recorded = await mt.staff.post(f"/meetings/{held['id']}/held", json={"public_attendees": 5})
        assert recorded.status_code == 200, recorded.text
        upcoming = (await mt.staff.post("/meetings", json=meeting_at(days=20, area="Fenland"))).json()
        pending = escalated("Resolved before the meeting")
        await deliver(pending)
        await wait_for(lambda: _has(mt, upcoming["id"], pending.escalation_id), what="escalation on the next agenda")

        for event in (discussed, pending):
            await deliver(EscalationResolved(escalation_id=event.escalation_id, resolved_at=datetime.now(UTC)))

        async def gone() -> bool:
            return not await _has(mt, upcoming["id"], pending.escalation_id)

        await wait_for(gone, what="the resolved escalation off the upcoming agenda")
        assert await _has(mt, held["id"], discussed.escalation_id)
        assert (await mt.staff.get("/dead-letters")).json() == []
