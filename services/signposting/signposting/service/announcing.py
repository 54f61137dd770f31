"""Announcing again what other services keep from this one's events: every active community group,
as `CommunityGroupRegistered` with its name and areas as they are now.

For a partner whose service joins after the streams dropped a group's own registration (they keep
events for seven years, or less where a stream is capped by size): `forum announce signposting`.
Consumers apply it as any registration: a group they know keeps its place (its name and areas as
now), one they did not know is added. Withdrawn groups are not announced: unknown is what a
withdrawn group should be to a service that never heard of it.
"""

from __future__ import annotations

from forum_shared.db import Database
from forum_shared.events.signposting import CommunityGroupRegistered
from forum_shared.unit_of_work import unit_of_work
from signposting.store import community_groups

WHAT = "community group(s) as CommunityGroupRegistered"


async def announce(db: Database, actor: str) -> int:
    """Record a `CommunityGroupRegistered` for every active group (published by the outbox);
    returns how many."""
    async with unit_of_work(db, actor, "community_groups.announced", "community_groups") as work:
        groups = await community_groups.active_groups(work.session, None, None)
        for group in groups:
            registered = CommunityGroupRegistered(community_group_id=group.id, name=group.name, areas=group.areas)
            await work.publish(registered)
        work.details["groups"] = len(groups)
        return len(groups)
