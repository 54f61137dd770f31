"""Involvement roles: advertised, interest expressed without an interview, assigned, ended."""

import json
from datetime import timedelta

from sqlalchemy import update

from forum_shared.testing import read_stream, wait_for
from membership import domain
from membership.store import roles

FACILITATOR = {
    "title": "Pop-up forum facilitator",
    "description": "Visit community groups in pairs and listen.",
    "hours_per_month": 6,
    "paid": True,
    "hourly_rate": "12.50",
    "vacancies": 2,
}


async def events(nats_server, name: str, key: str) -> list[dict]:
    msgs = await read_stream(nats_server, "MEMBERSHIP", f"forum.membership.{name}.v1")
    return [json.loads(m.data) for m in msgs if key.encode() in m.data]


async def test_a_role_is_advertised_and_members_express_interest_with_a_short_note(
    nats_server, start_membership
):
    async with start_membership() as svc:
        closing = (domain.today() + timedelta(days=14)).isoformat()
        resp = await svc.staff.post("/roles", json={**FACILITATOR, "closing_date": closing})
        assert resp.status_code == 201, resp.text
        role = resp.json()
        assert role["hourly_rate"] == "12.50" and role["hours_per_month"] == "6.00"
        assert role["open"] is True and role["vacancies_left"] == 2

        member = (await svc.staff.post("/members", json={"display_name": "Eve"})).json()
        interest = await svc.staff.post(
            f"/roles/{role['id']}/interests",
            json={
                "member_id": member["id"],
                "note": "I ran a carers' group for years.",
                "would_like_a_chat": True,
            },
        )
        assert interest.status_code == 201, interest.text
        assert interest.json()["status"] == "interested"
        again = await svc.staff.post(f"/roles/{role['id']}/interests", json={"member_id": member["id"]})
        assert again.status_code == 409 and "already noted" in again.json()["detail"]

        chat = await svc.staff.post(
            f"/interests/{interest.json()['id']}/chat",
            json={"chat_on": closing, "note": "Coffee at the library"},
        )
        assert chat.status_code == 200 and chat.json()["status"] == "chat_arranged"
        listed = (await svc.staff.get(f"/roles/{role['id']}/interests")).json()
        assert [(i["display_name"], i["note"], i["chat_note"]) for i in listed] == [
            ("Eve", "I ran a carers' group for years.", "Coffee at the library")
        ]
        assert [r["id"] for r in (await svc.client.get("/roles", params={"open": "true"})).json()] == [
            role["id"]
        ]

        advertised = await wait_for(
            lambda: events(nats_server, "involvement_role_advertised", role["id"])
        )
        assert advertised == [
            {"role_id": role["id"], "title": FACILITATOR["title"], "paid": True, "closing_date": closing}
        ]


async def test_a_badly_described_role_is_refused_with_a_readable_message(start_membership):
    async with start_membership() as svc:
        yesterday = (domain.today() - timedelta(days=1)).isoformat()
        for body, expected in [
            ({**FACILITATOR, "hourly_rate": None}, "A paid role needs an hourly rate"),
            ({**FACILITATOR, "paid": False}, "A voluntary role has no hourly rate"),
            ({**FACILITATOR, "hours_per_month": 0}, "hours_per_month"),
            ({**FACILITATOR, "vacancies": 0}, "vacancies"),
            ({**FACILITATOR, "closing_date": yesterday}, "closing date has already passed"),
            ({**FACILITATOR, "title": "  "}, "cannot be empty"),
        ]:
            resp = await svc.staff.post("/roles", json=body)
            assert resp.status_code == 422 and expected in resp.json()["detail"], (body, resp.text)
        assert (await svc.client.get("/roles")).json() == []


async def test_interest_is_refused_once_a_role_has_closed_or_by_someone_who_left(start_membership):
    async with start_membership() as svc:
        role = (
            await svc.staff.post("/roles", json={**FACILITATOR, "closing_date": domain.today().isoformat()})
        ).json()
        async with svc.db.transaction() as session:  # time passes: the closing date is now yesterday
            await session.execute(
                update(roles)
                .values(closing_date=domain.today() - timedelta(days=1))
                .where(roles.c.id == role["id"])
            )
        member = (await svc.staff.post("/members", json={"display_name": "Fay"})).json()
        closed = await svc.staff.post(f"/roles/{role['id']}/interests", json={"member_id": member["id"]})
        assert closed.status_code == 409 and "closed on" in closed.json()["detail"]
        assert (await svc.client.get("/roles", params={"open": "true"})).json() == []

        open_role = (await svc.staff.post("/roles", json=FACILITATOR)).json()
        await svc.staff.post(f"/members/{member['id']}/leave")
        left = await svc.staff.post(f"/roles/{open_role['id']}/interests", json={"member_id": member["id"]})
        assert left.status_code == 409 and "has left the forum" in left.json()["detail"]
        too_long = await svc.staff.post(
            f"/roles/{open_role['id']}/interests", json={"member_id": member["id"], "note": "x" * 501}
        )
        assert too_long.status_code == 422 and "note" in too_long.json()["detail"]


async def test_staff_assign_and_end_roles_and_the_history_shows_who_held_which_role_when(
    nats_server, start_membership
):
    async with start_membership() as svc:
        role = (await svc.staff.post("/roles", json={**FACILITATOR, "vacancies": 1})).json()
        gil = (await svc.staff.post("/members", json={"display_name": "Gil"})).json()
        hal = (await svc.staff.post("/members", json={"display_name": "Hal"})).json()
        await svc.staff.post(f"/roles/{role['id']}/interests", json={"member_id": gil["id"]})

        first = await svc.staff.post(
            f"/roles/{role['id']}/assignments", json={"member_id": gil["id"], "starts_on": "2026-01-01"}
        )
        assert first.status_code == 201, first.text
        holding = first.json()
        assert holding["role_title"] == FACILITATOR["title"] and holding["current"] is True
        assert (await svc.staff.get(f"/roles/{role['id']}/interests")).json()[0]["status"] == "assigned"
        assert (await svc.client.get(f"/roles/{role['id']}")).json()["vacancies_left"] == 0

        full = await svc.staff.post(
            f"/roles/{role['id']}/assignments", json={"member_id": hal["id"], "starts_on": "2026-03-01"}
        )
        assert full.status_code == 409 and "place(s)" in full.json()["detail"]
        twice = await svc.staff.post(
            f"/roles/{role['id']}/assignments", json={"member_id": gil["id"], "starts_on": "2026-02-01"}
        )
        assert twice.status_code == 409 and "already holds" in twice.json()["detail"]

        backwards = await svc.staff.post(f"/assignments/{holding['id']}/end", json={"ends_on": "2025-12-31"})
        assert backwards.status_code == 422 and "before the start date" in backwards.json()["detail"]
        ended = await svc.staff.post(f"/assignments/{holding['id']}/end", json={"ends_on": "2026-02-28"})
        assert (
            ended.status_code == 200
            and ended.json()["ends_on"] == "2026-02-28"
            and ended.json()["current"] is False
        )
        again = await svc.staff.post(f"/assignments/{holding['id']}/end", json={"ends_on": "2026-03-31"})
        assert again.status_code == 409

        second = await svc.staff.post(
            f"/roles/{role['id']}/assignments", json={"member_id": hal["id"], "starts_on": "2026-03-01"}
        )
        assert second.status_code == 201, second.text
        history = (await svc.staff.get(f"/roles/{role['id']}/assignments")).json()
        assert [(h["display_name"], h["starts_on"], h["ends_on"]) for h in history] == [
            ("Gil", "2026-01-01", "2026-02-28"),
            ("Hal", "2026-03-01", None),
        ]
        assert [h["role_id"] for h in (await svc.staff.get(f"/members/{gil['id']}/roles")).json()] == [
            role["id"]
        ]
        assert (
            await svc.staff.post(
                f"/roles/{role['id']}/assignments", json={"member_id": "nobody", "starts_on": "2026-01-01"}
            )
        ).status_code == 404
        assert (
            await svc.staff.post("/assignments/nothing/end", json={"ends_on": "2026-01-01"})
        ).status_code == 404
        bad_date = await svc.staff.post(
            f"/roles/{role['id']}/assignments", json={"member_id": gil["id"], "starts_on": "soon"}
        )
        assert bad_date.status_code == 422 and "starts_on" in bad_date.json()["detail"]

        async def both_assigned():
            found = await events(nats_server, "involvement_role_assigned", role["id"])
            return found if len(found) == 2 else None

        assigned = await wait_for(both_assigned, what="two InvolvementRoleAssigned")
        assert [(e["member_id"], e["role_title"], e["starts_on"]) for e in assigned] == [
            (gil["id"], FACILITATOR["title"], "2026-01-01"),
            (hal["id"], FACILITATOR["title"], "2026-03-01"),
        ]
        ended_events = await wait_for(
            lambda: events(nats_server, "involvement_role_ended", holding["id"]), what="ended"
        )
        assert ended_events == [
            {
                "assignment_id": holding["id"],
                "member_id": gil["id"],
                "role_id": role["id"],
                "ends_on": "2026-02-28",
            }
        ]
