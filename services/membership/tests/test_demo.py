"""The demo data loads into an empty service through the JSON API, and the pages show it."""

from membership import demo, domain


async def test_the_demo_fills_an_empty_service_and_the_pages_show_it(start_membership, person):
    async with start_membership() as svc:
        made = await demo.load(svc.admin, domain.today())
        assert len(made["members"]) == 20 and len(made["co_chairs"]) == 2 and len(made["facilitators"]) == 4
        assert set(made["roles"]) == {"co_chair", "facilitator", "reader"}

        areas = {m["area"] for m in (await svc.staff.get("/members")).json()}
        for area in ("Cambridge", "Peterborough", "Huntingdonshire", "Fenland", "East Cambridgeshire",
                     "South Cambridgeshire"):
            assert area in areas

        staff = await person(svc, "staff")
        assert "20 members found" in (await staff.get("/staff/members")).text
        co_chair = await staff.get(f"/staff/roles/{made['roles']['co_chair']}")
        assert "Aisha Rahman" in co_chair.text and "Ben Okafor" in co_chair.text
        interests = await staff.get("/staff/interests")
        assert "Frank Osei" in interests.text and "4 members are waiting" in interests.text
        aisha = await staff.get(f"/staff/members/{made['co_chairs'][0]}")
        assert "Preparation" in aisha.text and "£30.00" in aisha.text
        rosa = await staff.get(f"/staff/members/{made['members']['Rosa Martin']}")
        assert "Roles they are interested in" in rosa.text and "Pop-up forum facilitator" in rosa.text
        assert "Fenland Carers Together" in rosa.text and "Volunteer" in rosa.text
        orgs = await staff.get("/staff/organisations")
        assert "Fenland Carers Together" in orgs.text and "Jack Doyle" in orgs.text
        public = await person(svc)
        assert "Easy read reviewer" in (await public.get("/")).text
