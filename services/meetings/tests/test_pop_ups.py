"""Pop-up forums: a community group from signposting, exactly two current role holders from
membership (both known here only from their events), and a record of what happened."""

import uuid
from datetime import UTC, datetime, timedelta

from forum_shared.events import (
    CommunityGroupRegistered,
    CommunityGroupUpdated,
    CommunityGroupWithdrawn,
    InvolvementRoleAssigned,
    InvolvementRoleEnded,
    MemberErased,
    PopUpForumHeld,
)
from forum_shared.testing import wait_for


def assigned(member_id: str, days_ago: int = 30) -> InvolvementRoleAssigned:
    return InvolvementRoleAssigned(
        assignment_id=f"as-{member_id}-{uuid.uuid4().hex[:6]}",
        member_id=member_id,
        role_id="role-pop-up",
        role_title="Pop-up forum facilitator",
        starts_on=datetime.now(UTC).date() - timedelta(days=days_ago),
    )


def ended(assignment: InvolvementRoleAssigned, days_ago: int = 1) -> InvolvementRoleEnded:
    return InvolvementRoleEnded(
        assignment_id=assignment.assignment_id,
        member_id=assignment.member_id,
        role_id=assignment.role_id,
        ends_on=datetime.now(UTC).date() - timedelta(days=days_ago),
    )


async def holders(mt) -> set[str]:
    return {h["member_id"] for h in (await mt.staff.get("/role-holders")).json()}


def people(*names: str) -> list[str]:
    """Member ids unique to one test: NATS keeps a durable consumer's place between tests, so
    role holders from other tests' events may be known here too."""
    tag = uuid.uuid4().hex[:6]
    return [f"{name}-{tag}" for name in names]


async def groups(mt) -> dict[str, dict]:
    return {g["id"]: g for g in (await mt.staff.get("/community-groups")).json()}


def pop_up(group_id: str, facilitators: list[str], days: float = 7, **fields) -> dict:
    start = datetime.now(UTC) + timedelta(days=days)
    return {
        "community_group_id": group_id,
        "facilitator_member_ids": facilitators,
        "starts_at": start.isoformat(),
        "ends_at": (start + timedelta(hours=1.5)).isoformat(),
        "topics": ["The new crisis line", "Discharge planning"],
        **fields,
    }


async def test_a_pop_up_needs_exactly_two_current_role_holders_and_a_listed_group(start_meetings, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        group = f"grp-{uuid.uuid4().hex[:8]}"
        await deliver(CommunityGroupRegistered(community_group_id=group, name="Wisbech Carers", areas=["Fenland"]))
        a, b, c = people("amara", "ben", "cai")
        amara, ben, cai = assigned(a), assigned(b), assigned(c)
        for event in (amara, ben, cai):
            await deliver(event)
        await deliver(ended(ben))
        await wait_for(lambda: groups(mt), what="community group known")

        async def only_current_holders():
            known = await holders(mt)
            return {a, c} <= known and b not in known

        await wait_for(only_current_holders, what="role holders known")

        one = await mt.staff.post("/pop-up-forums", json=pop_up(group, [a]))
        assert one.status_code == 422
        assert one.json()["detail"] == (
            "A pop-up forum needs exactly two facilitators who hold involvement roles; 1 was given."
        )
        ended_role = await mt.staff.post("/pop-up-forums", json=pop_up(group, [a, b]))
        assert ended_role.status_code == 422
        assert f"Member {b} does not currently hold an involvement role" in ended_role.json()["detail"]
        same = await mt.staff.post("/pop-up-forums", json=pop_up(group, [c, c]))
        assert same.status_code == 422 and "two different members" in same.json()["detail"]
        unknown = await mt.staff.post("/pop-up-forums", json=pop_up("grp-nobody", [a, c]))
        assert unknown.status_code == 422 and "no community group with id grp-nobody" in unknown.json()["detail"]

        resp = await mt.staff.post("/pop-up-forums", json=pop_up(group, [a, c]))
        assert resp.status_code == 201, resp.text
        planned = resp.json()
        assert (planned["status"], planned["area"], planned["community_group_name"]) == (
            "planned",
            "Fenland",
            "Wisbech Carers",
        )
        assert planned["facilitator_member_ids"] == [a, c]
        seen_by_public = (await mt.client.get(f"/pop-up-forums/{planned['id']}")).json()
        assert (
            seen_by_public["community_group_name"] == "Wisbech Carers"
            and seen_by_public["facilitator_member_ids"] == []
        )
        assert (await mt.staff.get(f"/pop-up-forums/{planned['id']}")).json()["facilitator_member_ids"] == [a, c]

        await deliver(CommunityGroupWithdrawn(community_group_id=group))

        async def withdrawn():
            return not (await groups(mt))[group]["can_host"]

        await wait_for(withdrawn, what="group withdrawn")
        refused = await mt.staff.post("/pop-up-forums", json=pop_up(group, [a, c]))
        assert refused.status_code == 422
        assert "Wisbech Carers has left the signposting directory" in refused.json()["detail"]


async def test_a_held_pop_up_tells_feedback_and_membership_who_facilitated_and_how_many_came(
    start_meetings, deliver, published
):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        group = f"grp-{uuid.uuid4().hex[:8]}"
        await deliver(
            CommunityGroupRegistered(community_group_id=group, name="Lifecraft", areas=["Cambridge", "Fenland"])
        )
        await deliver(CommunityGroupUpdated(community_group_id=group, name="Lifecraft Cambridge", areas=["Cambridge"]))
        dee, eli, fay = people("dee", "eli", "fay")
        for member in (dee, eli, fay):
            await deliver(assigned(member))

        async def ready():
            return (
                await holders(mt) >= {dee, eli, fay}
                and (await groups(mt)).get(group, {}).get("name") == "Lifecraft Cambridge"
            )

        await wait_for(ready, what="group and role holders known")
        body = pop_up(group, [dee, eli], days=-1, area="Cambridge", venue="Lifecraft drop-in")
        planned = (await mt.staff.post("/pop-up-forums", json=body)).json()
        early = (await mt.staff.post("/pop-up-forums", json=pop_up(group, [dee, eli], days=3))).json()
        too_soon = await mt.staff.post(f"/pop-up-forums/{early['id']}/held", json={"participants": 3, "shared": "x"})
        assert too_soon.status_code == 409 and "not started yet" in too_soon.json()["detail"]

        resp = await mt.staff.post(
            f"/pop-up-forums/{planned['id']}/held",
            json={
                "participants": 14,
                "shared": "Crisis line and discharge plans",
                "facilitator_member_ids": [dee, fay],
            },
        )
        assert resp.status_code == 200, resp.text
        assert (resp.json()["status"], resp.json()["participants"], resp.json()["hours"]) == ("held", 14, 1.5)

        events = await wait_for(lambda: published(PopUpForumHeld, planned["id"]), what="PopUpForumHeld")
        held = events[0]
        assert (held.community_group_id, held.facilitator_member_ids) == (group, [dee, fay])
        assert (held.participants, held.hours, held.area) == (14, 1.5, "Cambridge")
        again = await mt.staff.post(f"/pop-up-forums/{planned['id']}/held", json={"participants": 1, "shared": "x"})
        assert again.status_code == 409

        cancelled = await mt.staff.post(
            f"/pop-up-forums/{early['id']}/cancel", json={"reason": "Group closed for the summer"}
        )
        assert cancelled.json()["status"] == "cancelled"
        listed = (await mt.client.get("/pop-up-forums", params={"community_group_id": group})).json()
        assert [p["status"] for p in listed] == ["held", "cancelled"]
        assert (await mt.client.get("/pop-up-forums/nope")).status_code == 404
        bad = await mt.staff.post("/pop-up-forums", json={**body, "facilitator_member_ids": dee})
        assert bad.status_code == 422


async def test_an_erased_member_is_forgotten_even_if_a_late_role_event_arrives(start_meetings, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        gus, hal = people("gus", "hal")
        await deliver(assigned(gus))
        await wait_for(lambda: _holds(mt, gus), what="gus holds a role")
        await deliver(MemberErased(member_id=gus, erased_at=datetime.now(UTC)))

        async def forgotten():
            return not await _holds(mt, gus)

        await wait_for(forgotten, what="gus forgotten")
        await deliver(assigned(gus))  # a late event about the erased member
        await deliver(assigned(hal))
        await wait_for(lambda: _holds(mt, hal), what="later event processed")
        assert not await _holds(mt, gus)


async def test_an_end_that_arrives_before_its_start_still_ends_the_role(start_meetings, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        ivy, kit, jo = people("ivy", "kit", "jo")
        kit_role = assigned(kit)
        await deliver(kit_role)
        await wait_for(lambda: _holds(mt, kit), what="kit holds a role")
        ivy_role = assigned(ivy)
        await deliver(ended(ivy_role))  # the end reaches us before the start
        await deliver(ended(kit_role))

        async def ends_processed():
            return not await _holds(mt, kit)

        await wait_for(ends_processed, what="ends processed")
        await deliver(ivy_role)
        await deliver(assigned(jo))
        await wait_for(lambda: _holds(mt, jo), what="starts processed")
        assert not await _holds(mt, ivy)


async def test_a_duplicated_event_changes_nothing(start_meetings, deliver):
    async with start_meetings() as mt:
        await mt.wait_subscribed()
        group, marker = f"grp-{uuid.uuid4().hex[:8]}", f"grp-{uuid.uuid4().hex[:8]}"
        listed = await deliver(
            CommunityGroupRegistered(community_group_id=group, name="SUN Network", areas=["Cambridge"])
        )
        await wait_for(lambda: groups(mt), what="group listed")
        await deliver(CommunityGroupWithdrawn(community_group_id=group))

        async def withdrawn():
            return not (await groups(mt))[group]["can_host"]

        await wait_for(withdrawn, what="group withdrawn")
        await deliver(listed, again=True)
        await deliver(CommunityGroupRegistered(community_group_id=marker, name="Marker", areas=[]))
        await wait_for(lambda: _has_group(mt, marker), what="later event processed")
        assert (await groups(mt))[group]["can_host"] is False

        lee = people("lee")[0]
        role = await deliver(assigned(lee))
        await wait_for(lambda: _holds(mt, lee), what="lee holds a role")
        await deliver(role, again=True)
        await deliver(ended(role.data))
        await wait_for(lambda: _not_holds(mt, lee), what="lee's role ended")
        await deliver(role, again=True)  # a late copy of the start must not bring the role back
        later = people("max")[0]
        await deliver(assigned(later))
        await wait_for(lambda: _holds(mt, later), what="later event processed")
        assert not await _holds(mt, lee)
        holdings = [h for h in (await mt.staff.get("/role-holders")).json() if h["member_id"] == later]
        assert len(holdings[0]["roles"]) == 1


async def _has_group(mt, group_id: str) -> bool:
    return group_id in await groups(mt)


async def _not_holds(mt, member_id: str) -> bool:
    return not await _holds(mt, member_id)


async def _holds(mt, member_id: str) -> bool:
    return member_id in await holders(mt)
