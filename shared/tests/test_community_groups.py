"""The community groups a service keeps from signposting's events come out the same whatever
order the events arrive in."""

import itertools
from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from forum_shared.community_groups import community_groups_table, listed, record_group, record_withdrawal
from forum_shared.db import Database, new_metadata
from forum_shared.events import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn

T = datetime(2026, 11, 1, 9, 0, tzinfo=UTC)
table = community_groups_table(metadata := new_metadata())


def test_a_withdrawn_group_is_listed_again_only_if_it_registered_again_afterwards():
    assert listed(T, None)
    assert not listed(T, T + timedelta(days=1))
    assert listed(T + timedelta(days=2), T + timedelta(days=1))
    assert not listed(None, None)
    assert not listed(None, T)


async def apply(db: Database, events: list[tuple[object, datetime]]) -> dict:
    async with db.transaction() as session:
        for event, at in events:
            if isinstance(event, CommunityGroupWithdrawn):
                await record_withdrawal(session, table, event, at)
            else:
                await record_group(session, table, event, at)
    async with db.read() as session:
        row = (await session.execute(select(table))).one()
    return {"name": row.name, "areas": row.areas, "listed": listed(row.registered_at, row.withdrawn_at)}


async def test_any_order_of_registration_update_and_withdrawal_gives_the_same_group(database_url):
    db = Database(await database_url("groups"))
    async with db.engine.begin() as connection:
        await connection.run_sync(metadata.create_all)
    try:
        registered = (CommunityGroupRegistered(community_group_id="g", name="Wisbech Mind", areas=["Fenland"]), T)
        renamed = (CommunityGroupUpdated(community_group_id="g", name="Mind in Fenland", areas=["Fenland", "March"]),
                   T + timedelta(hours=1))
        withdrawn = (CommunityGroupWithdrawn(community_group_id="g"), T + timedelta(hours=2))
        back = (CommunityGroupRegistered(community_group_id="g", name="Mind in Fenland", areas=["Fenland"]),
                T + timedelta(hours=3))

        new_name = "Mind in Fenland"
        for events, expected in (
            ([registered, renamed], {"name": new_name, "areas": ["Fenland", "March"], "listed": True}),
            ([registered, renamed, withdrawn], {"name": new_name, "areas": ["Fenland", "March"], "listed": False}),
            ([registered, renamed, withdrawn, back], {"name": new_name, "areas": ["Fenland"], "listed": True}),
        ):
            for order in itertools.permutations(events):
                async with db.transaction() as session:
                    await session.execute(table.delete())
                assert await apply(db, list(order)) == expected, [type(e).__name__ for e, _ in order]
    finally:
        await db.dispose()
