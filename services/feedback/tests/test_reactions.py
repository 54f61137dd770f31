"""Reactions to other services' events, delivered over real NATS: pop-up forums (meetings),
community groups (signposting) and erasure of members (membership)."""

from datetime import UTC, date, datetime

import nats
from nats.js.api import ConsumerConfig, DeliverPolicy
from sqlalchemy import select

from feedback.store import erased_members, feedback, pop_up_forums
from forum_shared.events import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
    Envelope,
    IssueEscalated,
    MemberErased,
    PopUpForumHeld,
)
from forum_shared.testing import wait_for


def pop_up(pop_up_id: str, group: str, area: str = "Fenland") -> PopUpForumHeld:
    return PopUpForumHeld(
        pop_up_id=pop_up_id, community_group_id=group, held_on=date(2027, 3, 4), hours=2,
        facilitator_member_ids=["m1", "m2"], participants=12, area=area,
    )


async def test_feedback_from_a_pop_up_forum_is_linked_to_its_host_group(start_feedback, deliver):
    async with start_feedback() as fb:
        await fb.wait_subscribed()
        await deliver(pop_up("pop-known", "grp-wisbech-mind"))

        async def linked():
            resp = await fb.staff.post(
                "/pop-up-forums/pop-known/feedback", json={"entered_by": "Priya", "views": [{"text": "Hello"}]}
            )
            return resp.json()[0] if resp.json()[0]["community_group_id"] else None

        view = await wait_for(linked, what="pop-up forum known")
        assert (view["community_group_id"], view["area"]) == ("grp-wisbech-mind", "Fenland")

        mismatch = await fb.staff.post(
            "/feedback", json={"text": "Hi", "pop_up_id": "pop-known", "community_group_id": "other"}
        )
        assert mismatch.status_code == 422 and "hosted by community group grp-wisbech-mind" in mismatch.json()["detail"]


async def test_feedback_recorded_before_the_pop_up_forum_is_heard_of_is_linked_when_it_is(start_feedback, deliver):
    async with start_feedback() as fb:
        await fb.wait_subscribed()
        early = (
            await fb.staff.post(
                "/pop-up-forums/pop-late/feedback", json={"entered_by": "Priya", "views": [{"text": "Hi"}]}
            )
        ).json()[0]
        assert early["community_group_id"] is None
        envelope = await deliver(pop_up("pop-late", "grp-lifecraft", area="Cambridge"))

        async def group():
            return (await fb.staff.get(f"/feedback/{early['id']}")).json()["community_group_id"]

        assert await wait_for(group, what="late link") == "grp-lifecraft"
        assert (await fb.staff.get(f"/feedback/{early['id']}")).json()["area"] == "Cambridge"

        await deliver(envelope)  # the same event again changes nothing
        await deliver(pop_up("pop-other", "grp-x"))
        await wait_for(lambda: _pop_up_count(fb, "pop-other"), what="next event processed")
        assert (await fb.staff.get(f"/feedback/{early['id']}")).json()["community_group_id"] == "grp-lifecraft"


async def _pop_up_count(fb, pop_up_id):
    async with fb.db.read() as session:
        return await session.scalar(select(pop_up_forums.c.id).where(pop_up_forums.c.id == pop_up_id))


async def test_erasure_leaves_no_personal_data_in_the_feedback_database(start_feedback, deliver):
    async with start_feedback() as fb:
        await fb.wait_subscribed()
        personal = {
            "member_id": "member-erase-1",
            "contact_name": "Sam Jones",
            "contact_email": "sam.jones@example.org",
            "contact_phone": "07700 900123",
            "contact_consent": True,
            "source": "Sam's carer",
        }
        mine = (await fb.client.post("/feedback", json={"text": "The ward was cold", **personal})).json()
        other = (
            await fb.client.post(
                "/feedback",
                json={
                    "text": "Kept",
                    "member_id": "someone-else",
                    "contact_email": "o@example.org",
                    "contact_consent": True,
                },
            )
        ).json()

        envelope = await deliver(MemberErased(member_id="member-erase-1", erased_at=datetime.now(UTC)))

        async def anonymised():
            return (await fb.staff.get(f"/feedback/{mine['id']}")).json()["anonymised_at"]

        first = await wait_for(anonymised, what="feedback anonymised")
        async with fb.db.read() as session:
            rows = (await session.execute(select(feedback))).all()
            hashes = list(await session.scalars(select(erased_members.c.member_hash)))
        everything = repr([tuple(r) for r in rows]) + repr(hashes)
        for value in ("member-erase-1", "Sam Jones", "sam.jones@example.org", "07700 900123", "Sam's carer"):
            assert value not in everything
        words = {r.id: r.text for r in rows}
        assert words[mine["id"]] == "The ward was cold"
        assert (await fb.staff.get(f"/feedback/{other['id']}")).json()["member_id"] == "someone-else"

        await deliver(envelope)  # a duplicate changes nothing
        await deliver(MemberErased(member_id="member-erase-2", erased_at=datetime.now(UTC)))

        async def both_erasures():
            async with fb.db.read() as session:
                return len(list(await session.scalars(select(erased_members.c.member_hash)))) >= 2

        await wait_for(both_erasures, what="second erasure processed")
        assert (await fb.staff.get(f"/feedback/{mine['id']}")).json()["anonymised_at"] == first

        late = (await fb.client.post("/feedback", json={"text": "Late words", **personal})).json()
        assert late["member_id"] is None and late["contact_email"] is None and late["anonymised_at"]


async def test_community_groups_are_named_in_public_until_withdrawn(start_feedback, deliver):
    async with start_feedback() as fb:
        await fb.wait_subscribed()
        await deliver(CommunityGroupRegistered(community_group_id="grp-pub", name="Wisbech Mind", areas=["Fenland"]))
        await deliver(CommunityGroupUpdated(community_group_id="grp-pub", name="Mind in Fenland", areas=["Fenland"]))

        async def recorded():  # once the directory's event has told the service of the group
            resp = await fb.staff.post(
                "/feedback", json={"text": "Good group", "channel": "community_group", "community_group_id": "grp-pub"}
            )
            return resp.json() if resp.status_code == 201 else None

        item = await wait_for(recorded, what="feedback from a listed group")
        response = (
            await fb.staff.post(
                f"/feedback/{item['id']}/responses",
                json={"you_said": "Good group", "we_did": "Thanked them", "outcome": "no_change"},
            )
        ).json()

        async def described():
            listing = (await fb.client.get(f"/public/you-said-we-did/{response['id']}")).json()
            text = listing["sources"][0]["description"]
            return text if "Mind in Fenland" in text else None

        await wait_for(described, what="group named")
        await deliver(CommunityGroupWithdrawn(community_group_id="grp-pub"))

        async def unnamed():
            listing = (await fb.client.get(f"/public/you-said-we-did/{response['id']}")).json()
            return listing["sources"][0]["description"].startswith("A community group")

        await wait_for(unnamed, what="group no longer named")


async def test_pop_up_forum_feedback_clusters_and_reaches_governors_over_nats(
    start_feedback, deliver, nats_server
):
    """End to end within this service: pop-up forums held → views recorded against them →
    a theme cluster escalation that a governor's durable consumer receives."""
    nc = await nats_server.connect_admin("FEEDBACK")
    js = nc.jetstream()
    try:
        async with start_feedback() as fb:
            await fb.wait_subscribed()
            governor = await js.pull_subscribe(
                IssueEscalated.subject(), durable=None, stream="FEEDBACK",
                config=ConsumerConfig(deliver_policy=DeliverPolicy.NEW),
            )
            for n, group in enumerate(["grp-e2e-a", "grp-e2e-b", "grp-e2e-c"]):
                await deliver(pop_up(f"pop-e2e-{n}", group, area="Huntingdon"))
            for n in range(3):
                async def known(n=n):
                    return await _pop_up_count(fb, f"pop-e2e-{n}")
                await wait_for(known, what="pop-up forum known")
                resp = await fb.staff.post(
                    f"/pop-up-forums/pop-e2e-{n}/feedback",
                    json={
                        "entered_by": "Priya",
                        "views": [
                            {"text": "Months on the waiting list", "themes": ["waiting times"], "polarity": "negative"}
                        ],
                    },
                )
                assert resp.status_code == 201

            async def escalation():
                try:
                    msgs = await governor.fetch(batch=10, timeout=0.5)
                except nats.errors.TimeoutError:
                    return []
                found = [Envelope.decode(m.headers, m.data).data for m in msgs]
                for m in msgs:
                    await m.ack()
                return [e for e in found if e.raised_by == "theme_cluster" and e.area == "Huntingdon"]

            [event] = await wait_for(escalation, what="cluster escalation for the governor")
            assert event.source_count == 3 and event.linked_feedback_count == 3
            assert event.themes == ["waiting times"] and event.respond_by > date.today()
    finally:
        await nc.close()
