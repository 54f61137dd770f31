"""A partner's database can be rebuilt from the streams: a new install, a restore from backup, or
`forum replay` get back everything the owners have published, with no manual step in NATS."""

import asyncio
import shutil
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import delete

from forum_shared import cli
from forum_shared.tables import inbox
from forum_shared.testing import wait_for

from .services import start


async def ok(resp, status: int = 201):
    assert resp.status_code == status, resp.text
    return resp.json()


async def _fill_the_forum(sp, ms, names: list[str]) -> tuple[set[str], set[str]]:
    groups = {(await ok(await sp.staff.post("/community-groups", json={"name": n, "areas": ["Ely"]})))["id"]
              for n in names}
    role = await ok(await ms.staff.post("/roles", json={
        "title": "Pop-up forum facilitator", "description": "In pairs.", "hours_per_month": "4", "paid": False,
        "vacancies": 5}))
    holders = set()
    for person in ("Jo", "Priya"):
        member = await ok(await ms.staff.post("/members", json={"display_name": person}))
        await ok(await ms.staff.post(f"/roles/{role['id']}/assignments", json={
            "member_id": member["id"], "starts_on": (date.today() - timedelta(days=3)).isoformat()}))
        holders.add(member["id"])
    return groups, holders


def knows(mt, groups: set[str], holders: set[str]):
    async def check() -> bool:
        hosts = {g["id"] for g in (await mt.staff.get("/community-groups")).json()}
        people = {h["member_id"] for h in (await mt.staff.get("/role-holders")).json()}
        return groups <= hosts and holders <= people

    return check


async def test_meetings_on_a_new_database_rebuilds_groups_and_role_holders_from_history(nats_server, database_url):
    async with await start("signposting", nats_server, database_url) as sp, \
            await start("membership", nats_server, database_url) as ms:
        groups, holders = await _fill_the_forum(sp, ms, ["Ely Carers", "Soham Shed", "March Café"])
        first = await database_url("meetings-first")
        async with await start("meetings", nats_server, database_url, database_url=first) as mt:
            await wait_for(knows(mt, groups, holders), what="meetings learns from events")
        # A new install of meetings (say, after a partner moved it to a new machine): a new database.
        new = await database_url("meetings-new")
        async with await start("meetings", nats_server, database_url, database_url=new) as fresh:
            await wait_for(knows(fresh, groups, holders), timeout=30, what="the new database rebuilt from history")
            assert len((await fresh.staff.get("/community-groups")).json()) == 3


async def test_a_restored_backup_catches_up_on_what_happened_since(nats_server, tmp_path):
    """A copy of a SQLite file is the backup here; a PostgreSQL restore looks the same to NATS."""

    async def database_url(name: str) -> str:
        return f"sqlite+aiosqlite:///{tmp_path / name}.db"

    async with await start("signposting", nats_server, database_url) as sp, \
            await start("membership", nats_server, database_url) as ms:
        before, holders = await _fill_the_forum(sp, ms, ["Ely Carers"])
        mt_db = await database_url("meetings-kept")
        async with await start("meetings", nats_server, database_url, database_url=mt_db) as mt:
            await wait_for(knows(mt, before, holders), what="meetings up to date")
        path = mt_db.split("///", 1)[1]
        shutil.copy(path, tmp_path / "backup.db")
        async with await start("meetings", nats_server, database_url, database_url=mt_db) as mt:
            later = await ok(await sp.staff.post("/community-groups", json={"name": "Later Group", "areas": ["Ely"]}))
            since = {later["id"]}
            await wait_for(knows(mt, since, set()), what="a group registered after the backup")
        for suffix in ("", "-wal", "-shm"):
            Path(path + suffix).unlink(missing_ok=True)
        shutil.copy(tmp_path / "backup.db", path)  # restored
        async with await start("meetings", nats_server, database_url, database_url=mt_db) as restored:
            await wait_for(knows(restored, before | since, holders), timeout=30, what="the restored database caught up")


async def test_replay_reads_history_again_and_the_inbox_skips_what_the_database_has(
    nats_server, database_url, monkeypatch, capsys
):
    async with await start("signposting", nats_server, database_url) as sp, \
            await start("membership", nats_server, database_url) as ms, \
            await start("meetings", nats_server, database_url) as mt:
        groups, holders = await _fill_the_forum(sp, ms, ["Ely Carers", "Soham Shed"])
        await wait_for(knows(mt, groups, holders), what="meetings up to date")
        lost = sorted(groups)[0]
        # The database loses one group and the note that it had it (say, a bad manual fix).
        from meetings.store import community_groups

        async with mt.db.transaction() as session:
            await session.execute(delete(community_groups).where(community_groups.c.id == lost))
            await session.execute(delete(inbox).where(inbox.c.consumer == "meetings-record_community_group"))
        assert lost not in {g["id"] for g in (await mt.staff.get("/community-groups")).json()}

        # `forum replay meetings`, while the service runs: the command itself (`forum` as its console
        # script calls it, in a thread, as it runs its own event loop), with the service's settings in
        # the environment, as a partner runs it.
        await mt.wait_subscribed()
        for variable, value in nats_server.federation.service_env("meetings", nats_server.url).items():
            monkeypatch.setenv(variable, value)
        started = datetime.now(UTC)
        assert await asyncio.to_thread(cli.main, ["replay", "meetings"]) == 0, capsys.readouterr().err
        consumers = len(mt.kit.consumers.items)
        said = capsys.readouterr().out
        assert f"meetings: {consumers} consumer(s) will read their history again from the start" in said, said
        await wait_for(knows(mt, groups, holders), timeout=30, what="the lost group back")
        # Its consumer was made again after the command, and read both groups again from the start.
        admin = await nats_server.connect_admin("MEETINGS_INBOUND")
        try:
            info = await admin.jetstream().consumer_info("MEETINGS_INBOUND", "meetings-record_community_group")
        finally:
            await admin.close()
        assert info.created > started and info.delivered.consumer_seq == 2
        # Everything else was already in the inbox: nothing was applied twice.
        assert (await mt.staff.get("/dead-letters")).json() == []
        assert len([g for g in (await mt.staff.get("/community-groups")).json() if g["id"] in groups]) == 2


async def test_a_partner_that_joins_after_the_streams_dropped_the_first_events_gets_them_announced_again(
    nats_server, database_url, capsys
):
    async with await start("signposting", nats_server, database_url) as sp, \
            await start("membership", nats_server, database_url) as ms:
        groups, holders = await _fill_the_forum(sp, ms, ["Ely Carers", "Soham Shed"])
        withdrawn = (await ok(await sp.staff.post("/community-groups", json={"name": "Gone", "areas": ["Ely"]})))["id"]
        await ok(await sp.staff.delete(f"/community-groups/{withdrawn}"), 200)
        ended = await ok(await ms.staff.post("/members", json={"display_name": "Sam"}))
        role_id = (await ms.staff.get("/roles")).json()[0]["id"]
        held = await ok(await ms.staff.post(f"/roles/{role_id}/assignments", json={
            "member_id": ended["id"], "starts_on": (date.today() - timedelta(days=30)).isoformat()}))
        await ok(await ms.staff.post(f"/assignments/{held['id']}/end", json={
            "ends_on": (date.today() - timedelta(days=1)).isoformat()}), 200)
        for owner, stream in ((sp, "SIGNPOSTING"), (ms, "MEMBERSHIP")):
            await wait_for(lambda o=owner: _published_all(o), what=f"{stream} has every event")
            # Years later: the streams no longer hold these events (they keep seven years).
            admin = await nats_server.connect_admin(stream)
            await admin.jetstream().purge_stream(stream)
            await admin.close()
        async with await start("meetings", nats_server, database_url) as late:
            await late.wait_subscribed()
            assert (await late.staff.get("/community-groups")).json() == []
            for owner in (sp, ms):
                name = owner.kit.name
                argv = ["announce", name, "--database-url", owner.kit.settings.database_url]
                assert await asyncio.to_thread(cli.main, argv) == 0, capsys.readouterr().err
            said = capsys.readouterr().out
            assert "signposting: 2 community group(s) as CommunityGroupRegistered recorded" in said, said
            assert "membership: 2 role holding(s) as InvolvementRoleAssigned recorded" in said, said
            await wait_for(knows(late, groups, holders), timeout=30, what="the late partner learns what was announced")
            assert {g["id"] for g in (await late.staff.get("/community-groups")).json()} == groups
            assert {h["member_id"] for h in (await late.staff.get("/role-holders")).json()} == holders
    assert await asyncio.to_thread(cli.main, ["announce", "meetings", "--data", "var"]) == 0
    assert "meetings: nothing to announce" in capsys.readouterr().out


async def _published_all(service) -> bool:
    from forum_shared.outbox import pending_count

    return await pending_count(service.db) == 0
