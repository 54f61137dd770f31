"""The demo data loads through the API on an empty service, and the pages show it."""

import asyncio
import uuid
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest

from forum_shared.events import CommunityGroupRegistered, InvolvementRoleAssigned, InvolvementRoleEnded
from forum_shared.testing import wait_for
from meetings import demo


async def test_the_demo_fills_a_month_of_meetings_and_pop_up_forums(start_meetings, deliver, browser_for):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        tag = uuid.uuid4().hex[:6]
        group = f"grp-{tag}"
        await deliver(
            CommunityGroupRegistered(community_group_id=group, name="Ramsey Men's Shed", areas=["Huntingdon"])
        )
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


async def test_the_demo_waits_for_the_other_services_groups_and_facilitators_and_uses_only_those(
    start_meetings, deliver
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        tag = uuid.uuid4().hex[:6]
        long_ago = datetime.now(UTC).date() - timedelta(days=90)
        # Someone else holds a role today that ends before the demo's next pop-up forum.
        other = f"leaving-{tag}"
        await deliver(InvolvementRoleAssigned(
            assignment_id=f"as-{other}", member_id=other, role_id="r0", role_title="Reader", starts_on=long_ago,
        ))
        await deliver(InvolvementRoleEnded(
            assignment_id=f"as-{other}", member_id=other, role_id="r0", ends_on=date.today() + timedelta(days=2),
        ))
        group, facilitators = f"grp-{tag}", [f"facilitator-{n}-{tag}" for n in range(2)]
        earlier = {"signposting": {"community_group_ids": [group]}, "membership": {"facilitators": facilitators}}

        # The loader's own client, so that each time it looks for the groups can be counted.
        looked: list[httpx.Request] = []

        async def count_looks(request: httpx.Request) -> None:
            if request.url.path == "/community-groups":
                looked.append(request)

        async with httpx.AsyncClient(transport=mt.admin._transport, base_url=mt.admin.base_url,
                                     headers=mt.admin.headers, event_hooks={"request": [count_looks]}) as loader:
            loading = asyncio.create_task(demo.load(loader, date.today(), earlier))
            # Another group arrives (the marker); once the loader has looked twice since, it has seen it.
            marker = f"grp-marker-{tag}"
            await deliver(CommunityGroupRegistered(community_group_id=marker, name="Marker group", areas=["Fenland"]))

            async def marker_known():
                return marker in {g["id"] for g in (await mt.admin.get("/community-groups")).json()}

            await wait_for(marker_known, what="the marker group known")
            seen = len(looked)
            await wait_for(lambda: len(looked) >= seen + 2, what="the loader looking again")
            assert not loading.done(), "the demo waits until the groups and facilitators have arrived"
            await deliver(
                CommunityGroupRegistered(community_group_id=group, name="March Men's Shed", areas=["Fenland"])
            )
            for member in facilitators:
                await deliver(InvolvementRoleAssigned(
                    assignment_id=f"as-{member}", member_id=member, role_id="r1", role_title="Pop-up facilitator",
                    starts_on=long_ago,
                ))
            made = await asyncio.wait_for(loading, 60)

        pop_ups = [(await mt.admin.get(f"/pop-up-forums/{i}")).json() for i in made["pop_up_ids"]]
        assert len(pop_ups) == 4
        assert all(
            p["community_group_id"] == group and sorted(p["facilitator_member_ids"]) == facilitators for p in pop_ups
        )


async def test_the_demo_says_what_never_arrived(start_meetings):
    async with start_meetings() as mt:
        earlier = {"membership": {"facilitators": ["nobody-1", "nobody-2"]}}
        with pytest.raises(RuntimeError, match="has not heard of 0 community group.* and 2 role holder.*NATS"):
            await demo.load(mt.admin, date.today(), earlier, timeout=0.5)
