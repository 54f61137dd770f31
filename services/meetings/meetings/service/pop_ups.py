"""Pop-up forums: two involvement-role holders take the forum's current work to a community
group and hear its views."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.events import PopUpForumHeld
from meetings import domain
from meetings.domain import PopUpStatus
from meetings.pop_up_schemas import PopUpForumCreate, PopUpForumHeldCreate
from meetings.schemas import CancellationCreate
from meetings.service import directory
from meetings.service.common import london_times, now_or, rules
from meetings.store import community_groups, pop_up_forums


async def plan_pop_up(
    session: AsyncSession, data: PopUpForumCreate, areas: list[str], now: datetime | None = None
) -> dict:
    """Plan a pop-up forum with a community group from the directory and two role holders."""
    now = now_or(now)
    starts_at, ends_at = london_times(data.starts_at, data.ends_at)
    group = await directory.community_group(session, data.community_group_id)
    if group is None or (group["name"] is None and not group["can_host"]):
        raise Invalid(
            f"There is no community group with id {data.community_group_id} in the signposting directory."
        )
    if not group["can_host"]:
        raise Invalid(f"{group['name']} has left the signposting directory, so it cannot host a pop-up forum.")
    facilitators = await _facilitators(session, data.facilitator_member_ids, starts_at, now)
    with rules():
        area = domain.match_area(data.area, areas)
    if area is None and len(group["areas"]) == 1:
        area = next((a for a in areas if a.casefold() == group["areas"][0].casefold()), None)
    row = {
        **data.model_dump(),
        "id": str(uuid.uuid4()),
        "facilitator_member_ids": facilitators,
        "starts_at": starts_at,
        "ends_at": ends_at,
        "area": area,
        "status": PopUpStatus.planned,
        "created_at": now,
    }
    await session.execute(pop_up_forums.insert().values(**row))
    return await get_pop_up(session, row["id"])


async def _facilitators(session: AsyncSession, member_ids: list[str], starts_at: datetime, now: datetime) -> list[str]:
    """Exactly two members holding an involvement role today and on the day (for a pop-up
    recorded afterwards, on the day it was held)."""
    day, today = domain.local_day(starts_at), domain.local_day(now)
    holdings = await directory.holdings_of(session, [m.strip() for m in member_ids])
    with rules():
        return domain.check_facilitators(member_ids, holdings, {day, today} if day >= today else {day})


async def record_pop_up_held(
    session: AsyncSession, pop_up_id: str, data: PopUpForumHeldCreate, now: datetime | None = None
) -> dict:
    """Record what was shared and how many took part; feedback can then link the group's views."""
    now = now_or(now)
    pop_up = await _load(session, pop_up_id, lock=True)
    if pop_up.status != PopUpStatus.planned:
        raise Conflict(f"This pop-up forum is already {pop_up.status}.")
    if pop_up.starts_at > now:
        raise Conflict("This pop-up forum has not started yet; record it once it has taken place.")
    facilitators = pop_up.facilitator_member_ids
    if data.facilitator_member_ids is not None:
        facilitators = await _facilitators(session, data.facilitator_member_ids, pop_up.starts_at, pop_up.starts_at)
    held_on = domain.local_day(pop_up.starts_at)
    hours = data.hours or domain.hours_between(pop_up.starts_at, pop_up.ends_at)
    await session.execute(
        update(pop_up_forums)
        .where(pop_up_forums.c.id == pop_up_id)
        .values(
            status=PopUpStatus.held,
            facilitator_member_ids=facilitators,
            held_on=held_on,
            hours=hours,
            participants=data.participants,
            shared=data.shared,
        )
    )
    await outbox.record(
        session,
        PopUpForumHeld(
            pop_up_id=pop_up_id,
            community_group_id=pop_up.community_group_id,
            held_on=held_on,
            hours=hours,
            facilitator_member_ids=facilitators,
            participants=data.participants,
            area=pop_up.area,
        ),
    )
    return await get_pop_up(session, pop_up_id)


async def cancel_pop_up(session: AsyncSession, pop_up_id: str, data: CancellationCreate) -> dict:
    pop_up = await _load(session, pop_up_id, lock=True)
    if pop_up.status != PopUpStatus.planned:
        raise Conflict(f"This pop-up forum is already {pop_up.status}.")
    await session.execute(
        update(pop_up_forums)
        .where(pop_up_forums.c.id == pop_up_id)
        .values(status=PopUpStatus.cancelled, cancel_reason=data.reason)
    )
    return await get_pop_up(session, pop_up_id)


async def _load(session: AsyncSession, pop_up_id: str, *, lock: bool = False):
    query = select(pop_up_forums).where(pop_up_forums.c.id == pop_up_id)
    row = (await session.execute(query.with_for_update() if lock else query)).first()
    if row is None:
        raise NotFound(f"There is no pop-up forum with id {pop_up_id}.")
    return row


def _query():
    return select(pop_up_forums, community_groups.c.name.label("community_group_name")).select_from(
        pop_up_forums.outerjoin(community_groups, pop_up_forums.c.community_group_id == community_groups.c.id)
    )


def _view(row) -> dict:
    return {
        **row._mapping,
        "starts_at": domain.to_london(row.starts_at),
        "ends_at": domain.to_london(row.ends_at),
    }


async def get_pop_up(session: AsyncSession, pop_up_id: str) -> dict:
    row = (await session.execute(_query().where(pop_up_forums.c.id == pop_up_id))).first()
    if row is None:
        raise NotFound(f"There is no pop-up forum with id {pop_up_id}.")
    return _view(row)


async def list_pop_ups(session: AsyncSession, community_group_id: str | None = None) -> list[dict]:
    query = _query().order_by(pop_up_forums.c.starts_at)
    if community_group_id:
        query = query.where(pop_up_forums.c.community_group_id == community_group_id)
    return [_view(r) for r in (await session.execute(query)).all()]
