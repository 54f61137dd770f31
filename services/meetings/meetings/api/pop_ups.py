"""Pop-up forums, and the community groups and role holders they are planned with."""

from datetime import date

from fastapi import APIRouter

from forum_shared.ui import MaybeSignedIn, Principal, StaffUser
from forum_shared.web import DbDep
from meetings import domain
from meetings.api.meetings import is_staff
from meetings.deps import SettingsDep
from meetings.pop_up_schemas import (
    CommunityGroupPublic,
    PopUpForumCreate,
    PopUpForumHeldCreate,
    PopUpForumPublic,
    RoleHolderPublic,
)
from meetings.schemas import CancellationCreate
from meetings.service import audited, directory, pop_ups
from meetings.service.common import now_or

router = APIRouter(tags=["pop-up forums"])


@router.post("/pop-up-forums", response_model=PopUpForumPublic, status_code=201)
async def plan_pop_up(data: PopUpForumCreate, db: DbDep, settings: SettingsDep, user: StaffUser) -> dict:
    """Plan a pop-up forum: a community group and exactly two involvement-role holders."""
    return await audited.plan_pop_up(db, user, data, settings.areas)


def _shown_to(user: Principal | None, pop_up: dict) -> dict:
    """Which members facilitated is for staff; everyone may see where and when."""
    return pop_up if is_staff(user) else {**pop_up, "facilitator_member_ids": []}


@router.get("/pop-up-forums", response_model=list[PopUpForumPublic])
async def list_pop_ups(db: DbDep, user: MaybeSignedIn, community_group_id: str | None = None) -> list[dict]:
    """Pop-up forums in date order, for one community group if asked."""
    async with db.read() as session:
        return [_shown_to(user, p) for p in await pop_ups.list_pop_ups(session, community_group_id)]


@router.get("/pop-up-forums/{pop_up_id}", response_model=PopUpForumPublic)
async def get_pop_up(pop_up_id: str, db: DbDep, user: MaybeSignedIn) -> dict:
    """One pop-up forum."""
    async with db.read() as session:
        return _shown_to(user, await pop_ups.get_pop_up(session, pop_up_id))


@router.post("/pop-up-forums/{pop_up_id}/held", response_model=PopUpForumPublic)
async def record_pop_up_held(pop_up_id: str, data: PopUpForumHeldCreate, db: DbDep, user: StaffUser) -> dict:
    """Record what was shared and how many took part."""
    return await audited.record_pop_up_held(db, user, pop_up_id, data)


@router.post("/pop-up-forums/{pop_up_id}/cancel", response_model=PopUpForumPublic)
async def cancel_pop_up(pop_up_id: str, data: CancellationCreate, db: DbDep, user: StaffUser) -> dict:
    """Cancel a planned pop-up forum."""
    return await audited.cancel_pop_up(db, user, pop_up_id, data)


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def list_community_groups(db: DbDep, user: StaffUser, can_host: bool | None = None) -> list[dict]:
    """Community groups known from the signposting directory."""
    async with db.read() as session:
        return await directory.list_community_groups(session, can_host)


@router.get("/role-holders", response_model=list[RoleHolderPublic])
async def list_role_holders(db: DbDep, user: StaffUser, on: date | None = None) -> list[dict]:
    """Members holding an involvement role today (or on the day given): who can facilitate."""
    async with db.read() as session:
        return await directory.list_role_holders(session, on or domain.local_day(now_or(None)))
