"""Partner organisations and the members who represent them."""

import json

from forum_shared.testing import read_stream, wait_for


async def test_a_partner_organisation_joins_with_the_members_who_represent_it(nats_server, start_membership):
    async with start_membership() as svc:
        member = (await svc.staff.post("/members", json={"display_name": "Dee"})).json()
        resp = await svc.staff.post(
            "/organisations",
            json={
                "name": "SUN Network",
                "kind": "Peer support network",
                "website": "https://sun.example.org",
                "area": "Peterborough",
                "description": "  User-led network  ",
            },
        )
        assert resp.status_code == 201, resp.text
        org = resp.json()
        assert org["description"] == "User-led network" and org["representatives"] == []

        rep = await svc.staff.post(
            f"/organisations/{org['id']}/representatives",
            json={"member_id": member["id"], "position": "Coordinator"},
        )
        assert rep.status_code == 200, rep.text
        assert [(r["display_name"], r["position"]) for r in rep.json()["representatives"]] == [
            ("Dee", "Coordinator")
        ]
        twice = await svc.staff.post(
            f"/organisations/{org['id']}/representatives", json={"member_id": member["id"]}
        )
        assert twice.status_code == 409 and "already represents" in twice.json()["detail"]
        listed = (await svc.staff.get("/organisations")).json()
        assert [o["name"] for o in listed] == ["SUN Network"] and len(listed[0]["representatives"]) == 1

        removed = await svc.staff.delete(f"/organisations/{org['id']}/representatives/{member['id']}")
        assert removed.status_code == 200 and removed.json()["representatives"] == []
        not_a_rep = await svc.staff.delete(f"/organisations/{org['id']}/representatives/{member['id']}")
        assert not_a_rep.status_code == 404

        async def joined():
            msgs = await read_stream(
                nats_server, "MEMBERSHIP", "forum.membership.partner_organisation_joined.v1"
            )
            return [json.loads(m.data) for m in msgs if org["id"].encode() in m.data]

        events = await wait_for(joined, what="PartnerOrganisationJoined")
        assert events == [
            {"organisation_id": org["id"], "name": "SUN Network", "kind": "Peer support network"}
        ]


async def test_an_organisation_is_registered_once_and_bad_input_is_refused(start_membership):
    async with start_membership() as svc:
        first = await svc.staff.post("/organisations", json={"name": "Lifecraft", "kind": "Charity"})
        assert first.status_code == 201
        again = await svc.staff.post("/organisations", json={"name": "  LIFECRAFT ", "kind": "Charity"})
        assert again.status_code == 409 and "already a partner organisation" in again.json()["detail"]
        for body, expected in [
            ({"name": " ", "kind": "Charity"}, "name: Value error, This cannot be empty"),
            ({"name": "Mind"}, "kind: This field is required"),
            ({"name": "Mind", "kind": "Charity", "website": "not a url"}, "website"),
        ]:
            resp = await svc.staff.post("/organisations", json=body)
            assert resp.status_code == 422 and expected in resp.json()["detail"], resp.text
        org_id = first.json()["id"]
        nobody = await svc.staff.post(
            f"/organisations/{org_id}/representatives", json={"member_id": "nobody"}
        )
        assert nobody.status_code == 404 and "no member" in nobody.json()["detail"]
        assert (await svc.staff.get("/organisations/nowhere")).status_code == 404
