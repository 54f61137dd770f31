"""What every service offers, whoever runs it: health, readiness, OpenAPI, AsyncAPI, clear 422s."""

import pytest

from forum_shared.events import events_of
from forum_shared.testing import wait_for

from .services import NAMES, start

WRITE_ROUTE = {
    "membership": "/members",
    "meetings": "/meetings",
    "feedback": "/feedback",
    "signposting": "/community-groups",
}


@pytest.mark.parametrize("name", NAMES)
async def test_a_service_answers_health_readiness_and_documents_its_apis(name, nats_server, database_url):
    async with await start(name, nats_server, database_url) as svc:
        assert (await svc.client.get("/health")).json() == {"status": "ok"}

        async def ready():
            return (await svc.client.get("/ready")).status_code == 200

        await wait_for(ready, what=f"{name} ready")
        assert (await svc.client.get("/ready")).json()["checks"] == {"database": "ok", "nats": "ok"}
        assert (await svc.client.get("/docs")).status_code == 200
        assert WRITE_ROUTE[name] in (await svc.client.get("/openapi.json")).json()["paths"]

        asyncapi = (await svc.client.get("/asyncapi")).json()
        assert asyncapi["asyncapi"].startswith("3.")
        addresses = {ch["address"] for ch in asyncapi["channels"].values()}
        for event_type in events_of(name):
            assert event_type.subject() in addresses, f"{event_type.__name__} missing from AsyncAPI"
        for consumer in svc.kit.consumers:
            assert consumer.event_type.subject() in addresses


@pytest.mark.parametrize("name", NAMES)
async def test_bad_json_or_a_missing_field_gets_a_readable_422_never_a_500(name, nats_server, database_url):
    async with await start(name, nats_server, database_url) as svc:
        route = WRITE_ROUTE[name]
        broken = await svc.staff.post(route, content=b'{"oops": ', headers={"content-type": "application/json"})
        assert broken.status_code == 422
        assert "not valid JSON" in broken.json()["detail"]
        empty = await svc.staff.post(route, json={})
        assert empty.status_code == 422
        assert "This field is required" in empty.json()["detail"]
        wrong_type = await svc.staff.post(route, json=[1, 2, 3])
        assert wrong_type.status_code == 422


async def test_readiness_says_so_when_nats_is_down(own_nats_server, database_url):
    async with await start("feedback", own_nats_server, database_url) as svc:
        await wait_for(lambda: svc.kit.messaging.ready, what="connected")
        own_nats_server.stop()

        async def not_ready():
            resp = await svc.client.get("/ready")
            return resp.status_code == 503 and resp.json()["checks"]["nats"] == "not connected"

        await wait_for(not_ready, what="not ready")
        # Requests that change state still succeed; their events wait in the outbox.
        assert (await svc.client.post("/feedback", json={"text": "Still here"})).status_code == 201


@pytest.mark.parametrize("name", NAMES)
async def test_a_service_migrations_build_exactly_the_tables_its_code_expects(name, backend, database_url):
    import importlib

    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from forum_shared.db import create_engine
    from forum_shared.migrations import upgrade
    from forum_shared.tables import kit_metadata

    app_module = importlib.import_module(f"{name}.app")
    store = importlib.import_module(f"{name}.store")
    engine = create_engine(await database_url(name))
    await upgrade(engine, app_module.MIGRATIONS)

    def differences(conn):
        # SQLite's full-text indexes are virtual tables (with shadow tables of their own) that the
        # migrations make and the models do not describe: they are compared by their own tests.
        virtual = conn.exec_driver_sql(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'"
        ).scalars().all() if conn.dialect.name == "sqlite" else []

        def modelled(table, kind, _parent) -> bool:
            return not (kind == "table" and any(table == v or table.startswith(v + "_") for v in virtual))

        context = MigrationContext.configure(conn, opts={"compare_type": False, "include_name": modelled})
        return compare_metadata(context, [store.metadata, kit_metadata])

    async with engine.connect() as conn:
        diff = await conn.run_sync(differences)
    await engine.dispose()
    assert diff == [], f"{name}: models and migrations differ: {diff}"
