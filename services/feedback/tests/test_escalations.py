"""Escalation to governors: by staff, by safeguarding or criticality, by a theme cluster; then
acknowledged, answered, resolved — or found overdue, once."""

from datetime import date, timedelta

from sqlalchemy import update

from feedback.service import governance
from feedback.store import escalations
from forum_shared.events import (
    EscalationAcknowledged,
    EscalationOverdue,
    EscalationResolved,
    FeedbackLinkedToEscalation,
    FeedbackResponded,
    IssueEscalated,
)
from forum_shared.testing import TEST_PASSWORD, wait_for


async def give(fb, group: str | None, theme: str = "waiting times", **extra) -> dict:
    """A concern about `theme`: a listed group's view as staff record it, or the public's own."""
    body = {"text": f"Long waits, says {group}", "themes": [theme], "polarity": "negative", **extra}
    if group:
        await fb.list_in_directory(group)
        body.update(channel="community_group", community_group_id=group)
    resp = await (fb.staff if group else fb.client).post("/feedback", json=body)
    assert resp.status_code == 201, resp.text
    return resp.json()


async def escalations_of(fb, raised_by: str) -> list[dict]:
    return [e for e in (await fb.staff.get("/escalations")).json() if e["raised_by"] == raised_by]


async def test_staff_escalate_feedback_with_a_summary_and_reason(start_feedback, published):
    async with start_feedback() as fb:
        one, two = await give(fb, None, area="Wisbech"), await give(fb, None, area="Wisbech")
        resp = await fb.staff.post(
            f"/feedback/{one['id']}/escalations", json={"summary": "No callback", "reason": "Repeated gap"}
        )
        assert resp.status_code == 201, resp.text
        assert resp.json()["feedback_ids"] == [one["id"]]
        assert (resp.json()["reason"], resp.json()["notes_for_governors"]) == ("Raised by staff", "Repeated gap")
        many = await fb.staff.post(
            "/escalations",
            json={"summary": "Waits in Wisbech", "reason": "Two people", "feedback_ids": [one["id"], two["id"]]},
        )
        assert many.status_code == 201
        esc = many.json()
        assert (esc["linked_feedback_count"], esc["area"], esc["status"], esc["raised_by"]) == (
            2,
            "Wisbech",
            "raised",
            "staff",
        )
        events = await wait_for(lambda: published(IssueEscalated, esc["id"]), what="IssueEscalated")
        assert events[0].linked_feedback_count == 2
        assert events[0].respond_by.isoformat() == esc["respond_by"]
        assert events[0].reason == "Raised by staff" and events[0].themes == ["waiting times"]
        assert events[0].summary == "Waits in Wisbech" and "Two people" not in events[0].model_dump_json()

        short = await fb.staff.post(f"/feedback/{one['id']}/escalations", json={"summary": "x", "reason": "y"})
        assert short.status_code == 422
        missing = await fb.staff.post(
            "/escalations", json={"summary": "abc", "reason": "def", "feedback_ids": ["nope"]}
        )
        assert missing.status_code == 404


async def test_a_safeguarding_concern_is_escalated_at_once_without_its_words(start_feedback, published):
    async with start_feedback() as fb:
        item = await give(fb, None, theme="carers", safeguarding_concern=True, area="March")
        esc = (await escalations_of(fb, "safeguarding"))[0]
        assert esc["feedback_ids"] == [item["id"]] and esc["area"] == "March"
        assert "Long waits" not in esc["summary"] + esc["reason"]
        assert (await fb.staff.get(f"/feedback/{item['id']}")).json()["escalation_ids"] == [esc["id"]]
        await wait_for(lambda: published(IssueEscalated, esc["id"]), what="IssueEscalated")


async def test_the_highest_criticality_escalates_once_however_often_triaged(start_feedback):
    async with start_feedback() as fb:
        item = await give(fb, None)
        await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": ["waiting times"], "criticality": 4})
        assert await escalations_of(fb, "criticality") == []
        for _ in range(2):
            resp = await fb.staff.post(
                f"/feedback/{item['id']}/triage", json={"themes": ["waiting times"], "criticality": 5}
            )
            assert resp.status_code == 200
        assert len(await escalations_of(fb, "criticality")) == 1


async def test_a_theme_cluster_fires_at_the_threshold_and_not_before(start_feedback, published):
    async with start_feedback() as fb:
        await give(fb, "group-a", area="Fenland")
        await give(fb, "group-a", area="Fenland")  # the same group again is still one source
        await give(fb, None, area="Fenland")  # the public is one source, however many write
        await give(fb, None, area="Fenland")
        await give(fb, "group-c", theme="carers")
        await give(fb, "group-d", polarity="positive")  # praise never counts
        assert await escalations_of(fb, "theme_cluster") == []

        third = await give(fb, "group-b", area="Fenland")
        [esc] = await escalations_of(fb, "theme_cluster")
        assert esc["cluster_theme"] == "waiting times" and esc["themes"] == ["waiting times"]
        assert (esc["source_count"], esc["linked_feedback_count"], esc["area"]) == (3, 5, "Fenland")
        assert third["id"] in esc["feedback_ids"]
        assert esc["reason"].startswith(
            "3 distinct verified sources (2 community groups, the public as one source) raised “waiting times” "
            "as a concern within 30 days; the forum escalates at 3."
        )
        [event] = await wait_for(lambda: published(IssueEscalated, esc["id"]), what="IssueEscalated")
        assert event.raised_by == "theme_cluster" and event.source_count == 3 and len(event.feedback_ids) == 5
        assert event.reason == esc["reason"]


async def test_a_fourth_source_joins_the_open_cluster_escalation(start_feedback, published):
    async with start_feedback() as fb:
        for group in ("a", "b", "c"):
            await give(fb, group)
        [esc] = await escalations_of(fb, "theme_cluster")
        fourth = await give(fb, "d")
        [after] = await escalations_of(fb, "theme_cluster")
        assert after["id"] == esc["id"]
        assert (after["linked_feedback_count"], after["source_count"]) == (4, 4)
        [joined] = await wait_for(lambda: published(FeedbackLinkedToEscalation, fourth["id"]), what="joined")
        assert joined.escalation_id == esc["id"] and joined.linked_feedback_count == 4


async def test_a_resolved_cluster_is_not_joined_and_its_voices_do_not_count_again(start_feedback):
    async with start_feedback(cluster_min_sources=2) as fb:
        await give(fb, "a")
        await give(fb, "b")
        [esc] = await escalations_of(fb, "theme_cluster")
        answer = {"you_said": "Waits are long", "we_did": "Added clinics", "outcome": "change_made"}
        await fb.staff.post(f"/escalations/{esc['id']}/responses", json=answer)
        assert (await fb.staff.post(f"/escalations/{esc['id']}/resolve", json={})).json()["status"] == "resolved"

        await give(fb, "c")
        assert len(await escalations_of(fb, "theme_cluster")) == 1  # one new source is not yet a cluster
        await give(fb, "d")
        newest = (await escalations_of(fb, "theme_cluster"))[0]
        assert newest["id"] != esc["id"] and newest["source_count"] == 2


async def test_governors_acknowledge_add_notes_and_see_it_answered_and_resolved(start_feedback, published):
    async with start_feedback() as fb:
        item = await give(fb, None)
        esc = (
            await fb.staff.post(f"/feedback/{item['id']}/escalations", json={"summary": "Waits", "reason": "Serious"})
        ).json()
        early = await fb.staff.post(f"/escalations/{esc['id']}/resolve", json={})
        assert early.status_code == 422 and "Publish a response" in early.json()["detail"]

        ack = await fb.governor.post(f"/escalations/{esc['id']}/acknowledge", json={"governor": "Ann Governor"})
        assert ack.json()["status"] == "acknowledged" and ack.json()["acknowledged_by"] == "Ann Governor"
        again = await fb.governor.post(f"/escalations/{esc['id']}/acknowledge", json={"governor": "Bob"})
        assert again.status_code == 422 and "Ann Governor" in again.json()["detail"]
        assert (await fb.governor.post(f"/escalations/{esc['id']}/acknowledge", json={})).status_code == 422
        [acked] = await wait_for(lambda: published(EscalationAcknowledged, esc["id"]), what="acknowledged")
        assert acked.governor == ack.json()["acknowledged_by_id"] != "Ann Governor"  # an id, never a name

        note = await fb.governor.post(
            f"/escalations/{esc['id']}/notes", json={"governor": "Ann Governor", "text": "Raise at March meeting"}
        )
        assert note.status_code == 201

        answer = {
            "you_said": "Waits are long",
            "we_did": "Two more clinics from April",
            "outcome": "change_planned",
            "responded_by": "Priya",
        }
        responded = await fb.staff.post(f"/escalations/{esc['id']}/responses", json=answer)
        assert responded.status_code == 201 and responded.json()["feedback_ids"] == [item["id"]]
        assert (await fb.staff.get(f"/feedback/{item['id']}")).json()["status"] == "responded"
        [event] = await wait_for(lambda: published(FeedbackResponded, esc["id"]), what="responded")
        assert event.outcome == "change_planned" and event.feedback_ids == [item["id"]]

        resolved = await fb.staff.post(f"/escalations/{esc['id']}/resolve", json={})
        assert resolved.json()["status"] == "resolved"
        await wait_for(lambda: published(EscalationResolved, esc["id"]), what="resolved")
        detail = (await fb.staff.get(f"/escalations/{esc['id']}")).json()
        assert [n["text"] for n in detail["notes"]] == ["Raise at March meeting"]
        assert [r["outcome"] for r in detail["responses"]] == ["change_planned"]
        assert [e["id"] for e in (await fb.staff.get("/escalations", params={"status": "resolved"})).json()] == [
            esc["id"]
        ]
        assert (await fb.staff.get("/escalations/nope")).status_code == 404
        assert (await fb.staff.get("/escalations", params={"status": "lost"})).status_code == 422


async def test_the_overdue_check_fires_once_and_not_for_answered_escalations(start_feedback, published):
    async with start_feedback() as fb:
        item = await give(fb, None, area="Peterborough")
        late = (
            await fb.staff.post(
                f"/feedback/{item['id']}/escalations", json={"summary": "Late one", "reason": "Serious"}
            )
        ).json()
        answered = (
            await fb.staff.post(
                f"/feedback/{item['id']}/escalations", json={"summary": "Answered", "reason": "Serious"}
            )
        ).json()
        await fb.staff.post(
            f"/escalations/{answered['id']}/responses",
            json={"you_said": "abc", "we_did": "def", "outcome": "no_change"},
        )
        respond_by = date.fromisoformat(late["respond_by"])

        assert await governance.check_overdue(fb.db, respond_by) == []
        assert await governance.check_overdue(fb.db, respond_by + timedelta(days=1)) == [late["id"]]
        assert await governance.check_overdue(fb.db, respond_by + timedelta(days=9)) == []

        listed = (await fb.staff.get("/escalations", params={"status": "overdue"})).json()
        assert listed == []  # not overdue *today*: respond-by is weeks away in real time
        [event] = await wait_for(lambda: published(EscalationOverdue, late["id"]), what="EscalationOverdue")
        assert (event.summary, event.reason, event.area, event.themes) == (
            "Late one",
            "Raised by staff",
            "Peterborough",
            ["waiting times"],
        )
        assert event.feedback_ids == [item["id"]] and event.linked_feedback_count == 1
        assert event.respond_by == respond_by and event.overdue_on == respond_by + timedelta(days=1)
        assert await published(EscalationOverdue, answered["id"]) == []


async def test_the_service_checks_for_overdue_escalations_by_itself(start_feedback, published):
    async with start_feedback(overdue_check_seconds=0.1) as fb:
        item = await give(fb, None)
        esc = (
            await fb.staff.post(f"/feedback/{item['id']}/escalations", json={"summary": "Waits", "reason": "Serious"})
        ).json()
        async with fb.db.transaction() as session:
            await session.execute(
                update(escalations).where(escalations.c.id == esc["id"]).values(respond_by=date(2020, 1, 1))
            )
        await wait_for(lambda: published(EscalationOverdue, esc["id"]), what="EscalationOverdue")
        listed = (await fb.staff.get("/escalations", params={"status": "overdue"})).json()
        assert [e["id"] for e in listed] == [esc["id"]] and listed[0]["overdue"] is True
        assert listed[0]["overdue_at"] is not None


async def test_a_signed_in_governor_signs_with_their_own_name_whatever_the_request_says(start_feedback):
    async with start_feedback() as fb:
        item = await give(fb, None)
        esc = (
            await fb.staff.post(
                f"/feedback/{item['id']}/escalations", json={"summary": "Long waits", "reason": "Several people"}
            )
        ).json()
        await fb.add_account("gita@trust.example", "governor", name="Gita Holt")
        gita = await fb.person()
        await gita.post(
            "/sign-in", {"email": "gita@trust.example", "password": TEST_PASSWORD, "next": "/"}, form_page="/sign-in"
        )
        ack = await gita.client.post(f"/escalations/{esc['id']}/acknowledge", json={"governor": "Someone Else"})
        assert ack.status_code == 200, ack.text
        assert ack.json()["acknowledged_by"] == "Gita Holt"
        note = await gita.client.post(
            f"/escalations/{esc['id']}/notes", json={"governor": "Someone Else", "text": "Following this"}
        )
        assert note.status_code == 201 and note.json()["governor"] == "Gita Holt"
