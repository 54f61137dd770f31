"""Pop-up forums: two involvement-role holders take the forum's current work to a community
group and hear its views."""

from __future__ import annotations

import dataclasses
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, Invalid
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from meetings import domain
from meetings.domain import PopUpStatus
from meetings.records import PopUpForum
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.pop_ups import PopUpForumCreate, PopUpForumHeldCreate
from meetings.service.viewers import is_staff
from meetings.store import directory
from meetings.store import pop_up as stored


async def plan_pop_up(
    db: Database, actor: Principal | str, data: PopUpForumCreate, areas: list[str], now: datetime | None = None
) -> PopUpForum:
    """Plan a pop-up forum with a community group from the directory and two role holders. Left
    without an area, it takes its group's (the first of the group's areas that is a forum area)."""
    now = now or datetime.now(UTC)
    starts_at, ends_at = domain.london_times(data.starts_at, data.ends_at)
    pop_up_id = str(uuid.uuid4())
    async with unit_of_work(db, actor, "pop_up.planned", f"pop_up:{pop_up_id}") as work:
        group = await directory.find_group(work.session, data.community_group_id)
        if group is None or (group.name is None and not group.can_host):
            raise Invalid(
                f"There is no community group with id {data.community_group_id} in the signposting directory."
            )
        if not group.can_host:
            raise Invalid(f"{group.name} has left the signposting directory, so it cannot host a pop-up forum.")
        facilitators = await _facilitators(work.session, data.facilitator_member_ids, starts_at, now)
        await stored.add_pop_up(
            work.session,
            **{
                **data.model_dump(),
                "id": pop_up_id,
                "facilitator_member_ids": facilitators,
                "starts_at": starts_at,
                "ends_at": ends_at,
                "area": domain.pop_up_area(data.area, group.areas, areas),
                "status": PopUpStatus.planned,
                "created_at": now,
            },
        )
        return await stored.get_pop_up(work.session, pop_up_id)


async def _facilitators(
    session: AsyncSession, member_ids: Sequence[str], starts_at: datetime, now: datetime
) -> list[str]:
    """Exactly two members holding an involvement role today and on the day (for a pop-up
    recorded afterwards, on the day it was held)."""
    day, today = domain.local_day(starts_at), domain.local_day(now)
    assignments = await directory.assignments(session, [m.strip() for m in member_ids])
    holdings = [domain.RoleHolding(a.member_id, a.starts_on, a.ends_on) for a in assignments]
    return domain.check_facilitators(list(member_ids), holdings, {day, today} if day >= today else {day})


async def record_pop_up_held(
    db: Database, actor: Principal | str, pop_up_id: str, data: PopUpForumHeldCreate, now: datetime | None = None
) -> PopUpForum:
    """Record what was shared and how many took part; feedback can then link the group's views,
    and membership records the facilitators' involvement."""
    now = now or datetime.now(UTC)
    async with unit_of_work(db, actor, "pop_up.held", f"pop_up:{pop_up_id}") as work:
        pop_up = await stored.get_pop_up(work.session, pop_up_id, lock=True)
        if pop_up.status != PopUpStatus.planned:
            raise Conflict(f"This pop-up forum is already {pop_up.status}.")
        if pop_up.starts_at > now:
            raise Conflict("This pop-up forum has not started yet; record it once it has taken place.")
        facilitators = list(pop_up.facilitator_member_ids)
        if data.facilitator_member_ids is not None:
            facilitators = await _facilitators(
                work.session, data.facilitator_member_ids, pop_up.starts_at, pop_up.starts_at
            )
        held_on = domain.local_day(pop_up.starts_at)
        hours = data.hours or domain.hours_between(pop_up.starts_at, pop_up.ends_at)
        await stored.change_pop_up(
            work.session,
            pop_up_id,
            status=PopUpStatus.held,
            facilitator_member_ids=facilitators,
            held_on=held_on,
            hours=hours,
            participants=data.participants,
            shared=data.shared,
        )
        await work.publish(
            PopUpForumHeld(
                pop_up_id=pop_up_id,
                community_group_id=pop_up.community_group_id,
                held_on=held_on,
                hours=hours,
                facilitator_member_ids=facilitators,
                participants=data.participants,
                area=pop_up.area,
            )
        )
        return await stored.get_pop_up(work.session, pop_up_id)


async def cancel_pop_up(
    db: Database, actor: Principal | str, pop_up_id: str, data: CancellationCreate
) -> PopUpForum:
    """Cancel a planned pop-up forum."""
    async with unit_of_work(db, actor, "pop_up.cancelled", f"pop_up:{pop_up_id}") as work:
        pop_up = await stored.get_pop_up(work.session, pop_up_id, lock=True)
        if pop_up.status != PopUpStatus.planned:
            raise Conflict(f"This pop-up forum is already {pop_up.status}.")
        await stored.change_pop_up(work.session, pop_up_id, status=PopUpStatus.cancelled, cancel_reason=data.reason)
        return await stored.get_pop_up(work.session, pop_up_id)


def seen_by(viewer: Principal | None, pop_up: PopUpForum) -> PopUpForum:
    """Which members facilitated is for staff; everyone may see where and when."""
    return pop_up if is_staff(viewer) else dataclasses.replace(pop_up, facilitator_member_ids=())


async def get_pop_up(db: Database, pop_up_id: str, viewer: Principal | None = None) -> PopUpForum:
    async with db.read() as session:
        return seen_by(viewer, await stored.get_pop_up(session, pop_up_id))


async def list_pop_ups(
    db: Database, viewer: Principal | None = None, community_group_id: str | None = None
) -> list[PopUpForum]:
    """Pop-up forums in date order, for one community group if asked."""
    async with db.read() as session:
        return [seen_by(viewer, p) for p in await stored.pop_ups_in_order(session, community_group_id)]
