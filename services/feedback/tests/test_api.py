"""Receiving and triaging feedback through the JSON API."""

import hashlib
import secrets
import uuid
from datetime import UTC, datetime

from sqlalchemy import select, text

from feedback.app import MIGRATIONS
from feedback.store import community_groups
from forum_shared.community_groups import listed
from forum_shared.db import Database
from forum_shared.events import FeedbackReceived, FeedbackTriaged
from forum_shared.migrations import upgrade
from forum_shared.testing import wait_for


async def test_feedback_is_recorded_and_its_event_published(start_feedback, published):
    async with start_feedback() as fb:
        resp = await fb.client.post(
            "/feedback",
            json={"text": "  The crisis line took an hour  ", "area": "Fenland", "themes": ["Crisis", "crisis "]},
        )
        assert resp.status_code == 201, resp.text
        body = resp.json()
        assert body["text"] == "The crisis line took an hour"
        assert body["themes"] == ["crisis"]
        assert body["status"] == "new"
        assert body["source_kind"] == "individual"

        events = await wait_for(lambda: published(FeedbackReceived, body["id"]), what="FeedbackReceived")
        assert events[0].source_kind == "individual"
        assert "crisis line" not in events[0].model_dump_json()  # the words stay in the feedback service


async def test_feedback_from_one_address_is_rate_limited_as_the_page_is_but_not_a_partners_program(start_feedback):
    async with start_feedback(public_form_rate_limit=2) as fb:
        for _ in range(2):
            assert (await fb.client.post("/feedback", json={"text": "Long waits"})).status_code == 201
        limited = await fb.client.post("/feedback", json={"text": "Long waits"})
        assert limited.status_code == 429 and "Wait" in limited.json()["detail"]
        assert (await fb.staff.post("/feedback", json={"text": "Heard at a drop-in"})).status_code == 201


async def test_empty_feedback_is_refused_with_a_readable_message(start_feedback):
    async with start_feedback() as fb:
        resp = await fb.client.post("/feedback", json={"text": "   "})
        assert resp.status_code == 422
        assert "cannot be empty" in resp.json()["detail"]
        resp = await fb.client.post("/feedback", content=b"{not json", headers={"content-type": "application/json"})
        assert resp.status_code == 422
        assert "not valid JSON" in resp.json()["detail"]


async def test_oversized_feedback_and_unknown_fields_are_refused(start_feedback):
    async with start_feedback() as fb:
        resp = await fb.client.post("/feedback", json={"text": "x" * 5001})
        assert resp.status_code == 422
        assert "text" in resp.json()["detail"] and "5000" in resp.json()["detail"]
        resp = await fb.client.post("/feedback", json={"text": "fine", "criticality": 5})
        assert resp.status_code == 422


async def test_contact_details_are_kept_only_with_consent(start_feedback):
    async with start_feedback() as fb:
        resp = await fb.client.post("/feedback", json={"text": "Call me", "contact_email": "sam@example.org"})
        assert resp.status_code == 422
        assert "without agreeing to be contacted" in resp.json()["detail"]
        resp = await fb.client.post(
            "/feedback", json={"text": "Call me", "contact_email": "sam@example.org", "contact_consent": True}
        )
        assert resp.status_code == 201
        staff_view = (await fb.staff.get(f"/feedback/{resp.json()['id']}")).json()
        assert staff_view["contact_email"] == "sam@example.org"


async def test_staff_record_views_heard_at_a_pop_up_forum_together(start_feedback):
    async with start_feedback() as fb:
        resp = await fb.staff.post(
            "/pop-up-forums/pop-1/feedback",
            json={"entered_by": "Priya (staff)", "views": [
                {"text": "Letters arrive after the appointment", "themes": ["communication"], "polarity": "negative"},
                {"text": "The peer worker was brilliant", "polarity": "positive"},
            ]},
        )
        assert resp.status_code == 201, resp.text
        views = resp.json()
        assert [v["channel"] for v in views] == ["pop_up_forum", "pop_up_forum"]
        assert {v["pop_up_id"] for v in views} == {"pop-1"}
        assert views[0]["entered_by"] == "Priya (staff)"
        assert views[0]["source_kind"] == "pop_up_forum"

        meeting = await fb.staff.post(
            "/meetings/m-1/feedback", json={"entered_by": "Priya", "views": [{"text": "More evening meetings"}]}
        )
        assert meeting.json()[0]["meeting_id"] == "m-1" and meeting.json()[0]["source_kind"] == "meeting"

        empty = await fb.staff.post("/pop-up-forums/pop-1/feedback", json={"entered_by": "Priya", "views": []})
        assert empty.status_code == 422


async def test_partner_systems_need_a_valid_token_of_the_partner_role(start_feedback):
    async with start_feedback() as fb:
        view = {"text": "Our members wait months for therapy", "themes": ["waiting times"]}
        missing = await fb.client.post("/partner/feedback", json=view)
        assert missing.status_code == 401
        assert "Bearer" in missing.json()["detail"]
        wrong = await fb.client.post("/partner/feedback", json=view, headers={"Authorization": "Bearer nope"})
        assert wrong.status_code == 401
        assert (await fb.staff.post("/partner/feedback", json=view)).status_code == 403

        issued = (await fb.admin.post("/api-tokens", json={"name": "SUN Network", "role": "partner"})).json()
        auth = {"Authorization": f"Bearer {issued['token']}"}
        resp = await fb.client.post("/partner/feedback", json=view, headers=auth)
        assert resp.status_code == 201, resp.text
        assert resp.json()["channel"] == "partner"
        assert resp.json()["source_kind"] == "partner_organisation"
        assert resp.json()["source"] == "SUN Network"
        assert resp.json()["partner_id"] == issued["id"]
        assert "token" not in (await fb.admin.get("/api-tokens")).json()[0]
        # A partner's program sends feedback and nothing else.
        assert (await fb.client.get("/feedback", headers=auth)).status_code == 403

        assert (await fb.admin.post(f"/api-tokens/{issued['id']}/revoke")).status_code == 200
        revoked = await fb.client.post("/partner/feedback", json=view, headers=auth)
        assert revoked.status_code == 401
        assert "revoked" in revoked.json()["detail"]


async def test_triage_sets_managed_themes_tags_and_a_staff_only_criticality(start_feedback, published):
    async with start_feedback() as fb:
        item = (await fb.client.post("/feedback", json={"text": "Waited nine months", "themes": ["long wait"]})).json()
        bad = await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": ["long wait"]})
        assert bad.status_code == 422
        assert "Not on the managed theme list: long wait" in bad.json()["detail"]

        resp = await fb.staff.post(
            f"/feedback/{item['id']}/triage",
            json={"themes": ["Waiting Times"], "tags": ["Therapy"], "criticality": 3, "area": "Cambridge"},
        )
        assert resp.status_code == 200, resp.text
        triaged = resp.json()
        assert (triaged["status"], triaged["themes"], triaged["tags"], triaged["criticality"]) == (
            "triaged", ["waiting times"], ["therapy"], 3
        )
        events = await wait_for(lambda: published(FeedbackTriaged, item["id"]), what="FeedbackTriaged")
        assert events[0].themes == ["waiting times"] and events[0].area == "Cambridge"
        assert "criticality" not in events[0].model_dump()

        out_of_range = await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": [], "criticality": 9})
        assert out_of_range.status_code == 422
        assert (await fb.staff.post(f"/feedback/{item['id']}/close")).json()["status"] == "closed"
        again = await fb.staff.post(f"/feedback/{item['id']}/triage", json={"themes": []})
        assert again.status_code == 422
        assert "closed" in again.json()["detail"]
        assert (await fb.staff.post("/feedback/nope/triage", json={"themes": []})).status_code == 404


async def test_staff_manage_the_theme_list(start_feedback):
    async with start_feedback() as fb:
        names = [t["name"] for t in (await fb.client.get("/themes")).json()]
        assert "waiting times" in names
        assert (await fb.staff.post("/themes", json={"name": "  Digital  Access "})).json()["name"] == "digital access"
        assert (await fb.staff.delete("/themes/waiting times")).json()["active"] is False
        names = [t["name"] for t in (await fb.client.get("/themes")).json()]
        assert "digital access" in names and "waiting times" not in names
        assert (await fb.staff.delete("/themes/no such theme")).status_code == 404


async def test_staff_list_feedback_by_status_theme_and_area(start_feedback):
    async with start_feedback() as fb:
        await fb.client.post("/feedback", json={"text": "a", "themes": ["carers"], "area": "Fenland"})
        await fb.client.post("/feedback", json={"text": "b", "themes": ["medication"], "area": "Cambridge"})
        assert [f["text"] for f in (await fb.staff.get("/feedback", params={"theme": "carers"})).json()] == ["a"]
        assert [f["text"] for f in (await fb.staff.get("/feedback", params={"area": "Cambridge"})).json()] == ["b"]
        assert len((await fb.staff.get("/feedback", params={"status": "new"})).json()) == 2
        assert (await fb.staff.get("/feedback", params={"status": "lost"})).status_code == 422


async def test_the_asyncapi_document_lists_every_event_published_and_consumed(start_feedback):
    async with start_feedback() as fb:
        doc = (await fb.client.get("/asyncapi")).json()
        channels = " ".join(ch.get("address", name) for name, ch in doc["channels"].items())
        for subject in (
            "forum.feedback.feedback_received.v1", "forum.feedback.feedback_triaged.v1",
            "forum.feedback.issue_escalated.v1", "forum.feedback.feedback_linked_to_escalation.v1",
            "forum.feedback.escalation_acknowledged.v1", "forum.feedback.escalation_overdue.v1",
            "forum.feedback.escalation_resolved.v1", "forum.feedback.feedback_responded.v1",
            "forum.meetings.pop_up_forum_held.v1", "forum.signposting.community_group_registered.v1",
            "forum.signposting.community_group_updated.v1", "forum.signposting.community_group_withdrawn.v1",
            "forum.membership.member_erased.v1",
        ):
            assert subject in channels, subject


async def test_a_partner_key_issued_before_tokens_keeps_working_after_the_upgrade(database_url, start_feedback):
    """Partner keys were kept as a SHA-256 in their own table; migration 0002 moves them into the
    API tokens, so partners need no new key."""
    url = await database_url("feedback", empty=True)
    db = Database(url)
    try:
        await upgrade(db.engine, MIGRATIONS, "0001")
        key, old = "fbk_" + secrets.token_urlsafe(32), "fbk_" + secrets.token_urlsafe(32)
        async with db.transaction() as session:
            for name, each, revoked in (("SUN Network", key, None), ("Old charity", old, datetime.now(UTC))):
                await session.execute(
                    text(
                        "INSERT INTO partner_clients (id, name, key_hash, created_at, revoked_at) "
                        "VALUES (:id, :name, :hash, :at, :revoked)"
                    ),
                    {
                        "id": str(uuid.uuid4()),
                        "name": name,
                        "hash": hashlib.sha256(each.encode()).hexdigest(),
                        "at": datetime.now(UTC),
                        "revoked": revoked,
                    },
                )
    finally:
        await db.dispose()
    async with start_feedback(database_url=url) as fb:
        view = {"text": "Sent with a key from before", "themes": ["waiting times"]}
        sent = await fb.client.post("/partner/feedback", json=view, headers={"Authorization": f"Bearer {key}"})
        assert sent.status_code == 201, sent.text
        assert sent.json()["source"] == "SUN Network"
        stale = await fb.client.post("/partner/feedback", json=view, headers={"Authorization": f"Bearer {old}"})
        assert stale.status_code == 401


async def test_community_groups_known_before_the_upgrade_stay_named_or_withdrawn(database_url, start_feedback):
    """Migration 0003 keeps groups as meetings does: a listed group counts as registered, a
    withdrawn one stays withdrawn."""
    url = await database_url("feedback", empty=True)
    db = Database(url)
    try:
        await upgrade(db.engine, MIGRATIONS, "0002")
        async with db.transaction() as session:
            for group_id, name, withdrawn in (
                ("grp-listed", "Wisbech Mind", None),
                ("grp-gone", "Old group", datetime.now(UTC)),
            ):
                await session.execute(
                    text(
                        "INSERT INTO community_groups (id, name, areas, withdrawn_at) "
                        "VALUES (:id, :name, '[]', :withdrawn)"
                    ),
                    {"id": group_id, "name": name, "withdrawn": withdrawn},
                )
    finally:
        await db.dispose()
    async with start_feedback(database_url=url) as fb:
        async with fb.db.read() as session:
            rows = {r.id: r for r in (await session.execute(select(community_groups))).all()}
        assert listed(rows["grp-listed"].registered_at, rows["grp-listed"].withdrawn_at)
        assert not listed(rows["grp-gone"].registered_at, rows["grp-gone"].withdrawn_at)
        assert rows["grp-listed"].name == "Wisbech Mind"
