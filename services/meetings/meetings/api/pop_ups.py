"""Pop-up forums, and the community groups and role holders they are planned with."""

from datetime import UTC, datetime

from fastapi import APIRouter

from forum_shared.dates import Day
from forum_shared.text import Line
from forum_shared.ui import MaybeSignedIn, StaffUser
from forum_shared.web import DbDep
from meetings import domain
from meetings.deps import SettingsDep
from meetings.schemas.meetings import CancellationCreate
from meetings.schemas.pop_ups import (
    CommunityGroupPublic,
    PopUpForumCreate,
    PopUpForumHeldCreate,
    PopUpForumPublic,
    RoleHolderPublic,
)
from meetings.service import directory, pop_ups

router = APIRouter(tags=["pop-up forums"])


@router.post("/pop-up-forums", response_model=PopUpForumPublic, status_code=201)
async def plan_pop_up(data: PopUpForumCreate, db: DbDep, settings: SettingsDep, user: StaffUser) -> PopUpForumPublic:
    """Plan a pop-up forum: a community group and exactly two involvement-role holders."""
    return PopUpForumPublic.model_validate(await pop_ups.plan_pop_up(db, user, data, settings.areas))


@router.get("/pop-up-forums", response_model=list[PopUpForumPublic])
async def list_pop_ups(
    db: DbDep, user: MaybeSignedIn, community_group_id: Line | None = None
) -> list[PopUpForumPublic]:
    """Pop-up forums in date order, for one community group if asked (who facilitated: staff only)."""
    return [PopUpForumPublic.model_validate(p) for p in await pop_ups.list_pop_ups(db, user, community_group_id)]


@router.get("/pop-up-forums/{pop_up_id}", response_model=PopUpForumPublic)
async def get_pop_up(pop_up_id: str, db: DbDep, user: MaybeSignedIn) -> PopUpForumPublic:
    """One pop-up forum (who facilitated: staff only)."""
    return PopUpForumPublic.model_validate(await pop_ups.get_pop_up(db, pop_up_id, user))


@router.post("/pop-up-forums/{pop_up_id}/held", response_model=PopUpForumPublic)
async def record_pop_up_held(
    pop_up_id: str, data: PopUpForumHeldCreate, db: DbDep, user: StaffUser
) -> PopUpForumPublic:
    """Record what was shared and how many took part."""
    return PopUpForumPublic.model_validate(await pop_ups.record_pop_up_held(db, user, pop_up_id, data))


@router.post("/pop-up-forums/{pop_up_id}/cancel", response_model=PopUpForumPublic)
async def cancel_pop_up(pop_up_id: str, data: CancellationCreate, db: DbDep, user: StaffUser) -> PopUpForumPublic:
    """Cancel a planned pop-up forum."""
    return PopUpForumPublic.model_validate(await pop_ups.cancel_pop_up(db, user, pop_up_id, data))


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def list_community_groups(db: DbDep, user: StaffUser, can_host: bool | None = None) -> list[CommunityGroupPublic]:
    """Community groups known from the signposting directory."""
    return [CommunityGroupPublic.model_validate(g) for g in await directory.list_community_groups(db, can_host)]


@router.get("/role-holders", response_model=list[RoleHolderPublic])
async def list_role_holders(db: DbDep, user: StaffUser, on: Day | None = None) -> list[RoleHolderPublic]:
    """Members holding an involvement role today (or on the day given): who can facilitate."""
    holders = await directory.list_role_holders(db, on or domain.local_day(datetime.now(UTC)))
    return [RoleHolderPublic.model_validate(h) for h in holders]
