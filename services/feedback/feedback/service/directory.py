"""The community groups the signposting directory lists, as this service knows them from its
events: the groups whose views staff and partners' programs may record."""

from __future__ import annotations

from feedback.records import CommunityGroup
from feedback.store import other_services
from forum_shared.db import Database


async def listed_groups(db: Database) -> list[CommunityGroup]:
    """Every group the directory lists now, by name."""
    async with db.read() as session:
        return await other_services.listed_groups(session)
