"""What a partner's program meets is what each service's OpenAPI document says: the cases found by
fuzzing the services, each a clear 4xx problem now, and each rule in the schema."""

from datetime import UTC, datetime, timedelta

from forum_shared.ui.problems import PROBLEM_JSON

from .services import NAMES, start

HUGE = 2**63


def problem(resp, status: int = 422) -> dict:
    assert resp.status_code == status, resp.text
    assert resp.headers["content-type"] == PROBLEM_JSON
    return resp.json()


async def test_huge_numbers_get_a_422_not_a_500(nats_server, database_url):
    async with await start("feedback", nats_server, database_url) as fb:
        problem(await fb.client.get("/public/you-said-we-did", params={"offset": HUGE}))
        problem(await fb.staff.get("/feedback", params={"offset": HUGE}))
        problem(await fb.staff.get("/audit-log", params={"offset": HUGE}))
        problem(await fb.staff.post(f"/dead-letters/{HUGE}/replay"))
        assert (await fb.staff.get("/feedback", params={"offset": 1_000_000})).status_code == 200


async def test_a_number_is_never_read_as_a_date(nats_server, database_url):
    async with await start("meetings", nats_server, database_url) as mt:
        starts = datetime.now(UTC) + timedelta(days=7)
        meeting = (await mt.staff.post("/meetings", json={
            "starts_at": starts.isoformat(), "ends_at": (starts + timedelta(hours=2)).isoformat(),
            "venue": "Town Hall", "area": "Cambridge"})).json()
        for due_on in (0, "0", 1.5e9):
            refused = problem(await mt.staff.post(f"/meetings/{meeting['id']}/actions", json={
                "description": "Write to the ICB", "owner_name": "SUN Network", "due_on": due_on}))
            assert "not as a number" in refused["detail"], refused
        problem(await mt.staff.post("/pop-up-forums", json={
            "community_group_id": "g", "starts_at": "0001-01-01T00:00:00+08:31", "ends_at": "0001-01-01T00:00:00Z",
            "facilitator_member_ids": [], "area": "Cambridge"}))


async def test_membership_refuses_what_its_schema_refuses(nats_server, database_url):
    async with await start("membership", nats_server, database_url) as ms:
        document = (await ms.client.get("/openapi.json")).json()
        join = document["components"]["schemas"]["MemberCreate"]["properties"]["display_name"]
        assert "pattern" in join  # text that must say something
        for name in ("", "   ", "\u3000"):
            problem(await ms.client.post("/members", json={"display_name": name}))
        member = (await ms.staff.post("/members", json={"display_name": "Robin"})).json()
        for month in ("2026-13", "0000-01", "26-01"):
            problem(await ms.staff.get(f"/members/{member['id']}/statements/{month}"))
        assert (await ms.staff.get(f"/members/{member['id']}/statements/2026-11")).status_code == 200


async def test_every_operation_of_every_service_documents_its_refusals_as_problems(nats_server, database_url):
    for name in NAMES:
        async with await start(name, nats_server, database_url) as svc:
            document = (await svc.client.get("/openapi.json")).json()
            assert "HTTPValidationError" not in document["components"]["schemas"], name
            for path, item in document["paths"].items():
                for method, operation in item.items():
                    refusals = {s for s in operation["responses"] if s.startswith("4")}
                    if method in ("post", "put", "patch", "delete"):
                        assert {"400", "403", "404", "409", "413", "422"} <= refusals, (name, method, path)
                    for status in refusals:
                        assert list(operation["responses"][status]["content"]) == [PROBLEM_JSON]
