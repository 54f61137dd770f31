"""Community groups that can host the forum's pop-up forums (staff keep them)."""

from typing import Annotated

from fastapi import APIRouter, Query

from forum_shared.text import Line
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting.deps import EditorDep
from signposting.schemas.community_groups import (
    CommunityGroupCreate,
    CommunityGroupMark,
    CommunityGroupPublic,
    CommunityGroupUpdate,
)
from signposting.service import community_groups

router = APIRouter(tags=["community groups"])


@router.post("/community-groups", response_model=CommunityGroupPublic, status_code=201)
async def register_community_group(data: CommunityGroupCreate, db: DbDep, editor: EditorDep) -> CommunityGroupPublic:
    """Register a community group that can host pop-up forums (it joins the directory)."""
    group = await community_groups.register_community_group(db, editor, data)
    return CommunityGroupPublic.model_validate(group)


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def find_community_groups(
    db: DbDep,
    user: StaffUser,
    area: Annotated[Line | None, Query(max_length=100, description="A district, town or postcode district.")] = None,
    search: Annotated[Line | None, Query(max_length=200)] = None,
) -> list[CommunityGroupPublic]:
    """Active community groups, optionally covering an area or matching words."""
    groups = await community_groups.find_community_groups(db, area, search)
    return [CommunityGroupPublic.model_validate(g) for g in groups]


@router.get("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def get_community_group(group_id: str, db: DbDep, user: StaffUser) -> CommunityGroupPublic:
    """One community group, with when the forum last visited it."""
    return CommunityGroupPublic.model_validate(await community_groups.community_group(db, group_id))


@router.patch("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def change_community_group(
    group_id: str, data: CommunityGroupUpdate, db: DbDep, editor: EditorDep
) -> CommunityGroupPublic:
    """Change a community group's name, details or areas; only the fields given change."""
    group = await community_groups.change_community_group(db, editor, group_id, data)
    return CommunityGroupPublic.model_validate(group)


@router.delete("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def withdraw_community_group(group_id: str, db: DbDep, editor: EditorDep) -> CommunityGroupPublic:
    """Withdraw a group: it can no longer host pop-up forums, but stays in the directory."""
    return CommunityGroupPublic.model_validate(await community_groups.withdraw_community_group(db, editor, group_id))


@router.put("/organizations/{organization_id}/community-group", response_model=CommunityGroupPublic)
async def mark_community_group(
    organization_id: str, data: CommunityGroupMark, db: DbDep, editor: EditorDep
) -> CommunityGroupPublic:
    """Mark an organisation in the directory as a community group that can host pop-up forums."""
    group = await community_groups.mark_community_group(db, editor, organization_id, data.areas)
    return CommunityGroupPublic.model_validate(group)
