"""Community groups that host pop-up forums: their events, and the forum's visits to them."""

import json
import uuid
from datetime import date

from forum_shared.events import Envelope, PopUpForumHeld
from forum_shared.events.event import source_of
from forum_shared.testing import ensure_stream, read_stream, run_service, wait_for
from signposting.app import create_app


async def _events(nats_server, name: str, group_id: str) -> list[dict]:
    msgs = await read_stream(nats_server, "SIGNPOSTING", f"forum.signposting.{name}.v1")
    bodies = [json.loads(m.data) for m in msgs]
    return [b for b in bodies if b["community_group_id"] == group_id]


async def test_registering_a_group_publishes_its_id_and_lists_it_by_area(signposting, nats_server):
    client = signposting.staff
    resp = await client.post("/community-groups", json={
        "name": "Wisbech Hearing Voices", "description": "A peer group.", "areas": ["Fenland", " fenland "],
        "email": "group@wisbech-voices.example", "phone": "01945 111111", "website": "https://wisbech-voices.example",
    })
    assert resp.status_code == 201, resp.text
    group = resp.json()
    assert (group["areas"], group["status"], group["phone"], group["last_visited_on"]) == (
        ["Fenland"],
        "active",
        "01945 111111",
        None,
    )

    events = await wait_for(
        lambda: _events(nats_server, "community_group_registered", group["id"]), what="CommunityGroupRegistered"
    )
    assert events == [{"community_group_id": group["id"], "name": "Wisbech Hearing Voices", "areas": ["Fenland"]}]

    for area in ("Fenland", "fenland", "Wisbech", "PE13"):
        assert [g["id"] for g in (await client.get("/community-groups", params={"area": area})).json()] == [
            group["id"]
        ], area
    assert (await client.get("/community-groups", params={"area": "Cambridge"})).json() == []
    assert [g["id"] for g in (await client.get("/community-groups", params={"search": "voices"})).json()] == [
        group["id"]
    ]
    # The group is an organisation of the Open Referral directory too.
    org = (await client.get(f"/organizations/{group['id']}")).json()
    assert org["name"] == "Wisbech Hearing Voices" and org["phones"][0]["number"] == "01945 111111"


async def test_changes_and_withdrawal_are_published_once_each(signposting, nats_server):
    client = signposting.staff
    group = (await client.post("/community-groups", json={"name": "March Walkers", "areas": ["March"]})).json()
    resp = await client.patch(
        f"/community-groups/{group['id']}", json={"name": "March Wellbeing Walkers", "areas": ["March", "Chatteris"]}
    )
    assert resp.status_code == 200, resp.text
    assert resp.json()["areas"] == ["Chatteris", "March"]
    await client.patch(
        f"/community-groups/{group['id']}", json={"description": "Walks on Sundays."}
    )  # neither name nor areas

    withdrawn = await client.delete(f"/community-groups/{group['id']}")
    assert withdrawn.status_code == 200 and withdrawn.json()["status"] == "withdrawn"
    assert (await client.get("/community-groups", params={"area": "March"})).json() == []
    assert (await client.delete(f"/community-groups/{group['id']}")).status_code == 404
    assert (await client.get(f"/organizations/{group['id']}")).status_code == 200  # still in the directory

    gone = await wait_for(
        lambda: _events(nats_server, "community_group_withdrawn", group["id"]), what="CommunityGroupWithdrawn"
    )
    assert gone == [{"community_group_id": group["id"]}]
    updates = await _events(nats_server, "community_group_updated", group["id"])
    assert updates == [
        {"community_group_id": group["id"], "name": "March Wellbeing Walkers", "areas": ["Chatteris", "March"]}
    ]


async def test_an_organisation_already_listed_can_be_marked_as_a_community_group(signposting, nats_server):
    client = signposting.staff
    org = (
        await client.post("/organizations", json={"name": "Ely Carers Circle", "description": "Carers meet monthly."})
    ).json()
    marked = await client.put(f"/organizations/{org['id']}/community-group", json={"areas": ["East Cambridgeshire"]})
    assert marked.status_code == 200, marked.text
    assert [g["id"] for g in (await client.get("/community-groups", params={"area": "Ely"})).json()] == [org["id"]]
    await wait_for(
        lambda: _events(nats_server, "community_group_registered", org["id"]), what="CommunityGroupRegistered"
    )
    # Renaming it as an organisation tells the forum too.
    await client.patch(f"/organizations/{org['id']}", json={"name": "Ely and Soham Carers Circle"})
    updated = await wait_for(
        lambda: _events(nats_server, "community_group_updated", org["id"]), what="CommunityGroupUpdated"
    )
    assert updated[0]["name"] == "Ely and Soham Carers Circle"
    bad = await client.put(f"/organizations/{org['id']}/community-group", json={"areas": []})
    assert bad.status_code == 422
    assert (await client.put("/organizations/nope/community-group", json={"areas": ["Ely"]})).status_code == 404


async def test_a_pop_up_forum_records_the_latest_visit_once(settings, nats_server, deliver):
    await ensure_stream(nats_server, "meetings")
    nc = await nats_server.connect_admin("SIGNPOSTING_INBOUND")
    js = nc.jetstream()
    try:
        async with run_service(create_app, await settings()) as service:
            await service.wait_subscribed()
            client = service.staff
            group = (
                await client.post("/community-groups", json={"name": "St Neots Sanctuary", "areas": ["St Neots"]})
            ).json()

            def held(on: date) -> Envelope:
                event = PopUpForumHeld(
                    pop_up_id=str(uuid.uuid4()),
                    community_group_id=group["id"],
                    held_on=on,
                    hours=2,
                    facilitator_member_ids=["m1", "m2"],
                    participants=9,
                    area="Huntingdonshire",
                )
                return Envelope.wrap(event, source=source_of("meetings"))

            first = held(date(2026, 11, 20))
            await deliver(first)

            async def visited():
                found = (await client.get(f"/community-groups/{group['id']}")).json()
                return found if found["pop_up_count"] else None

            found = await wait_for(visited, what="the visit recorded")
            assert (found["last_visited_on"], found["pop_up_count"]) == ("2026-11-20", 1)

            await deliver(first, again=True)  # the same event again
            await deliver(held(date(2026, 10, 1)))  # an earlier visit, reported late
            await deliver(
                Envelope.wrap(
                    PopUpForumHeld(
                        pop_up_id="p-x",
                        community_group_id="not-ours",
                        held_on=date(2026, 11, 1),
                        hours=1,
                        facilitator_member_ids=[],
                    ),
                    source=source_of("meetings"),
                )
            )

            async def counted():
                found = (await client.get(f"/community-groups/{group['id']}")).json()
                return found if found["pop_up_count"] >= 2 else None

            found = await wait_for(counted, what="the late visit counted")
            # Let the consumer reach the unknown group's event, which must not dead-letter.
            await wait_for(lambda: _consumer_done(js), what="every pop-up event handled")
            found = (await client.get(f"/community-groups/{group['id']}")).json()
            assert (found["last_visited_on"], found["pop_up_count"]) == ("2026-11-20", 2)
            assert (await client.get("/dead-letters")).json() == []
    finally:
        await nc.close()


async def _consumer_done(js) -> bool:
    info = await js.consumer_info("SIGNPOSTING_INBOUND", "signposting-pop_up_forum_held")
    return info.num_pending == 0 and info.num_ack_pending == 0


async def test_a_community_group_is_found_by_the_service_search_and_its_listing_follows_the_group(
    signposting, schemas
):
    staff, client = signposting.staff, signposting.client
    group = (
        await staff.post("/community-groups", json={"name": "Ramsey Knit and Natter", "areas": ["Ramsey", "PE26"]})
    ).json()
    listing_id = group["service_id"]

    async def found(**params) -> list[dict]:
        page = (await client.get("/services", params={"per_page": 100, **params})).json()
        schemas.check_page(schemas.oruk["service_list"], page)
        return page["contents"]

    assert [s["id"] for s in await found(search="knit natter")] == [listing_id]
    assert [s["id"] for s in await found(area="Huntingdonshire")] == [listing_id]
    assert [s["id"] for s in await found(postcode="PE26")] == [listing_id]
    listing = (await client.get(f"/services/{listing_id}")).json()
    schemas.check_oruk("service", listing)
    assert (listing["status"], listing["organization"]["id"], listing["description"]) == (
        "active",
        group["id"],
        "Ramsey Knit and Natter is a community group meeting people in PE26 and Ramsey.",
    )
    assert sorted(a["name"] for a in listing["service_areas"]) == ["PE26", "Ramsey"]

    changed = await staff.patch(
        f"/community-groups/{group['id']}",
        json={"name": "Ramsey Stitchers", "description": "Knitting and a chat, Tuesdays.", "areas": ["Ramsey"]},
    )
    assert changed.status_code == 200, changed.text
    assert [s["id"] for s in await found(search="stitchers")] == [listing_id]
    assert await found(search="natter") == []
    listing = (await client.get(f"/services/{listing_id}")).json()
    assert (listing["name"], listing["description"], [a["name"] for a in listing["service_areas"]]) == (
        "Ramsey Stitchers",
        "Knitting and a chat, Tuesdays.",
        ["Ramsey"],
    )

    assert (await staff.delete(f"/community-groups/{group['id']}")).status_code == 200
    assert (await client.get(f"/services/{listing_id}")).json()["status"] == "inactive"
    assert await found(search="stitchers", status="active") == []
    again = await staff.put(f"/organizations/{group['id']}/community-group", json={"areas": ["Ramsey"]})
    assert again.status_code == 200, again.text
    assert [s["id"] for s in await found(search="stitchers", status="active")] == [listing_id]
    history = (await staff.get(f"/history/{listing_id}")).json()
    assert {h["field_name"] for h in history} >= {"*", "name", "status"}
