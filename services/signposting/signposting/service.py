"""Use cases of the signposting service; each runs inside the caller's transaction."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.events import CommunityGroupRegistered
from signposting.schemas import CommunityGroupCreate
from signposting.store import community_groups, group_areas


async def register_community_group(session: AsyncSession, data: CommunityGroupCreate) -> dict:
    row = {
        **data.model_dump(exclude={"areas"}),
        "website": str(data.website) if data.website else None,
        "id": str(uuid.uuid4()),
        "status": "active",
        "registered_at": datetime.now(UTC),
    }
    await session.execute(insert(community_groups).values(**row))
    await session.execute(insert(group_areas), [{"group_id": row["id"], "area": a} for a in data.areas])
    await outbox.record(
        session, CommunityGroupRegistered(community_group_id=row["id"], name=row["name"], areas=data.areas)
    )
    return {**row, "areas": data.areas}


async def find_community_groups(
    session: AsyncSession, area: str | None = None, search: str | None = None
) -> list[dict]:
    query = select(community_groups).where(community_groups.c.status == "active")
    if area:
        in_area = select(group_areas.c.group_id).where(func.lower(group_areas.c.area) == area.strip().lower())
        query = query.where(community_groups.c.id.in_(in_area))
    if search:
        like = f"%{search.strip().lower()}%"
        query = query.where(
            func.lower(community_groups.c.name).like(like) | func.lower(community_groups.c.description).like(like)
        )
    groups = [dict(r._mapping) for r in (await session.execute(query.order_by(community_groups.c.name))).all()]
    areas: dict[str, list[str]] = {}
    if groups:
        links = await session.execute(
            select(group_areas).where(group_areas.c.group_id.in_([g["id"] for g in groups]))
        )
        for link in links:
            areas.setdefault(link.group_id, []).append(link.area)
    return [{**g, "areas": sorted(areas.get(g["id"], []))} for g in groups]
