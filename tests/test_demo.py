"""The demo data: a first `make up` shows a living forum. Loaded through each service's own API
over real HTTP, with events flowing between the services over a real nats-server."""

import contextlib

import httpx
import pytest
from sqlalchemy import select

from forum_shared import demo
from forum_shared.local import free_port
from forum_shared.tables import api_tokens

from .services import NAMES, start

BROWSER = {"accept": "text/html"}


@pytest.fixture
def backend() -> str:
    return "sqlite"  # the demo fills the embedded default


async def test_the_demo_fills_all_four_services_and_its_people_can_sign_in(own_nats_server, database_url):
    # A NATS server of its own, like a newcomer's: no other test's events reach these services.
    async with contextlib.AsyncExitStack() as stack:
        services = {
            name: await stack.enter_async_context(await start(name, own_nats_server, database_url)) for name in NAMES
        }
        urls = {name: await stack.enter_async_context(svc.serve_http()) for name, svc in services.items()}
        databases = {name: svc.kit.settings.database_url for name, svc in services.items()}
        reported: list[str] = []
        password = await demo.load(urls, databases, report=reported.append)

        assert len(reported) == 4 and all("filled" in line for line in reported)
        for name, svc in services.items():
            async with svc.db.read() as session:
                query = select(api_tokens).where(api_tokens.c.name == "Demo data loader")
                loader = (await session.execute(query)).one()
            assert loader.revoked_at is not None, f"{name}: the loader's token must be revoked"
            for role, email, _name in demo.people_for(name):
                async with httpx.AsyncClient(base_url=urls[name]) as person:
                    sign_in = await person.get("/sign-in", headers=BROWSER)
                    token = sign_in.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                    signed_in = await person.post(
                        "/sign-in", data={"email": email, "password": password, "csrf_token": token}, headers=BROWSER
                    )
                    assert signed_in.status_code == 303, f"{role} could not sign in to {name}"

        public = services["signposting"].client
        groups = await public.get("/find-a-group", params={"where": "PE1"}, headers=BROWSER)
        assert groups.status_code == 200 and "Peterborough Carers" in groups.text
        meetings = await services["meetings"].client.get("/upcoming-meetings", headers=BROWSER)
        assert meetings.status_code == 200 and "Partnership Forum" in meetings.text
        said = await services["feedback"].client.get("/you-said-we-did", headers=BROWSER)
        assert said.status_code == 200
        members = (await services["membership"].staff.get("/members")).json()
        assert len(members) >= 10
        areas = (await services["meetings"].staff.get("/community-groups")).json()
        assert areas, "community groups reached meetings by events"

        # Pop-up forums are facilitated in pairs by members who hold the facilitator role.
        pop_ups = (await services["meetings"].staff.get("/pop-up-forums")).json()
        assert len(pop_ups) == 4
        roles = (await services["membership"].staff.get("/roles")).json()
        facilitator = next(r for r in roles if r["title"] == "Pop-up forum facilitator")
        assignments = await services["membership"].staff.get(f"/roles/{facilitator['id']}/assignments")
        holders = {a["member_id"] for a in assignments.json()}
        assert all(set(p["facilitator_member_ids"]) <= holders for p in pop_ups)


async def test_a_demo_load_that_fails_leaves_no_loader_token_behind(nats_server, database_url):
    async with await start("signposting", nats_server, database_url) as svc:
        unreachable = {name: f"http://127.0.0.1:{free_port()}" for name in NAMES}
        databases = {"signposting": svc.kit.settings.database_url}
        with pytest.raises(httpx.ConnectError):
            await demo.load(unreachable, databases)
        async with svc.db.read() as session:
            [loader] = (await session.execute(select(api_tokens).where(api_tokens.c.name == "Demo data loader"))).all()
        assert loader.revoked_at is not None
