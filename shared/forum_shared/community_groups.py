"""What a service knows of the signposting directory's community groups, kept from signposting's
events (`CommunityGroupRegistered`, `CommunityGroupUpdated`, `CommunityGroupWithdrawn`) whatever
order they arrive in: each consumer runs on its own, so an update can arrive before the
registration it follows. A change applies only if it is newer (by the event's time) than what is
known, and a group is listed only if it registered after it last withdrew.

Meetings (which groups can host a pop-up forum) and feedback (which groups may be named in public)
both keep this table."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Column, MetaData, String, Table, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import UTCDateTime
from forum_shared.events import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn


def community_groups_table(metadata: MetaData) -> Table:
    return Table(
        "community_groups",
        metadata,
        Column("id", String(64), primary_key=True),
        Column("name", String(300), nullable=True),  # unknown if only its withdrawal has arrived
        Column("areas", JSON, nullable=False),
        Column("details_at", UTCDateTime, nullable=True),  # time of the event the name and areas came from
        Column("registered_at", UTCDateTime, nullable=True),
        Column("withdrawn_at", UTCDateTime, nullable=True),
    )


def listed(registered_at: datetime | None, withdrawn_at: datetime | None) -> bool:
    """Listed in the directory and not withdrawn since."""
    return registered_at is not None and (withdrawn_at is None or withdrawn_at < registered_at)


async def record_group(
    session: AsyncSession, table: Table, event: CommunityGroupRegistered | CommunityGroupUpdated, at: datetime
) -> None:
    """A group joined the directory, or its name or areas changed (an update implies it is listed,
    even if its registration has not arrived yet)."""
    row = (await session.execute(select(table).where(table.c.id == event.community_group_id))).first()
    details = {"name": event.name, "areas": list(event.areas), "details_at": at}
    if row is None:
        await session.execute(insert(table).values(id=event.community_group_id, registered_at=at, **details))
        return
    values = details if row.details_at is None or at >= row.details_at else {}
    if isinstance(event, CommunityGroupRegistered) and (row.registered_at is None or at > row.registered_at):
        values = {**values, "registered_at": at}
    if values:
        await session.execute(update(table).where(table.c.id == event.community_group_id).values(**values))


async def record_withdrawal(session: AsyncSession, table: Table, event: CommunityGroupWithdrawn, at: datetime) -> None:
    """A group left the directory (kept even if its registration has not arrived yet)."""
    row = (await session.execute(select(table.c.withdrawn_at).where(table.c.id == event.community_group_id))).first()
    if row is None:
        await session.execute(insert(table).values(id=event.community_group_id, areas=[], withdrawn_at=at))
    elif row.withdrawn_at is None or at > row.withdrawn_at:
        await session.execute(update(table).where(table.c.id == event.community_group_id).values(withdrawn_at=at))
