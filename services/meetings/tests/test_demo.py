"""The demo data loads through the API on an empty service, and the pages show it."""

import uuid
from datetime import UTC, date, datetime, timedelta

from forum_shared.events import CommunityGroupRegistered, InvolvementRoleAssigned
from forum_shared.testing import wait_for
from meetings import demo


async def test_the_demo_fills_a_month_of_meetings_and_pop_up_forums(start_meetings, deliver, browser_for):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        tag = uuid.uuid4().hex[:6]
        group = f"grp-{tag}"
        await deliver(CommunityGroupRegistered(community_group_id=group, name="Ramsey Men's Shed", areas=["Huntingdon"]))
        members = [f"demo-member-{n}-{tag}" for n in range(3)]
        for member in members:
            await deliver(InvolvementRoleAssigned(
                assignment_id=f"as-{member}", member_id=member, role_id="r1", role_title="Pop-up facilitator",
                starts_on=datetime.now(UTC).date() - timedelta(days=90),
            ))

        async def known():
            holders = {h["member_id"] for h in (await mt.admin.get("/role-holders")).json()}
            return (await mt.admin.get("/community-groups")).json() and set(members) <= holders

        await wait_for(known, what="group and role holders known")
        made = await demo.load(mt.admin, date.today())

        meetings = (await mt.client.get("/meetings")).json()
        assert len(meetings) == len(made["meeting_ids"]) == 8
        assert [m["status"] for m in meetings].count("held") == 3
        held = (await mt.client.get(f"/meetings/{made['held_meeting_ids'][0]}")).json()
        assert held["minutes"] and held["actions"] and held["public_attendees"] == 8
        full = [m for m in meetings if m["waiting"]]
        assert full and full[0]["places_left"] == 0
        pop_ups = (await mt.client.get("/pop-up-forums")).json()
        assert len(pop_ups) == len(made["pop_up_ids"]) == 4
        assert [p["status"] for p in pop_ups].count("held") == 2

        public = await browser_for(mt)
        listing = (await public.get("/upcoming-meetings")).text
        assert "Partnership Forum – East Cambridgeshire" in listing and "Ramsey Men&#39;s Shed" in listing
        staff = await browser_for(mt, "staff")
        assert "Overdue action" in (await staff.get(f"/staff/meetings/{made['next_meeting_id']}")).text
        assert "Share quarterly access figures" in (await staff.get("/staff/actions")).text
        assert "Waiting: number 2" in (await staff.get(f"/staff/meetings/{made['meeting_ids'][6]}/registrations")).text


async def test_the_demo_copes_with_no_community_groups_or_role_holders(start_meetings):
    async with start_meetings() as mt:
        made = await demo.load(mt.admin, date.today())
        assert made["pop_up_ids"] == [] and len(made["meeting_ids"]) == 8
