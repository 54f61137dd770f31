"""Community groups that can host the forum's pop-up forums (staff keep them)."""

from typing import Annotated

from fastapi import APIRouter, Query

from forum_shared.audit import record_audit
from forum_shared.ui import StaffUser
from forum_shared.web import DbDep
from signposting import community
from signposting.api.deps import EditorDep
from signposting.forum_schemas import CommunityGroupCreate, CommunityGroupMark, CommunityGroupPublic, CommunityGroupUpdate

router = APIRouter(tags=["community groups"])


@router.post("/community-groups", response_model=CommunityGroupPublic, status_code=201)
async def register_community_group(data: CommunityGroupCreate, db: DbDep, editor: EditorDep) -> dict:
    """Register a community group that can host pop-up forums (it joins the directory)."""
    async with db.transaction() as session:
        group = await community.register_community_group(session, data, editor.name)
        await record_audit(session, editor.user, "community_group.registered", f"organization:{group['id']}")
        return group


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def find_community_groups(
    db: DbDep,
    user: StaffUser,
    area: Annotated[str | None, Query(max_length=100, description="A district, town or postcode district.")] = None,
    search: Annotated[str | None, Query(max_length=200)] = None,
) -> list[dict]:
    """Active community groups, optionally covering an area or matching words."""
    async with db.read() as session:
        return await community.find_community_groups(session, area, search)


@router.get("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def get_community_group(group_id: str, db: DbDep, user: StaffUser) -> dict:
    """One community group, with when the forum last visited it."""
    async with db.read() as session:
        return await community.community_group(session, group_id)


@router.patch("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def change_community_group(group_id: str, data: CommunityGroupUpdate, db: DbDep, editor: EditorDep) -> dict:
    """Change a community group's name, details or areas; only the fields given change."""
    async with db.transaction() as session:
        group = await community.update_community_group(session, group_id, data, editor.name)
        await record_audit(session, editor.user, "community_group.changed", f"organization:{group_id}",
                           {"fields": sorted(data.model_fields_set)})
        return group


@router.delete("/community-groups/{group_id}", response_model=CommunityGroupPublic)
async def withdraw_community_group(group_id: str, db: DbDep, editor: EditorDep) -> dict:
    """Withdraw a group: it can no longer host pop-up forums, but stays in the directory."""
    async with db.transaction() as session:
        group = await community.withdraw_community_group(session, group_id, editor.name)
        await record_audit(session, editor.user, "community_group.withdrawn", f"organization:{group_id}")
        return group


@router.put("/organizations/{organization_id}/community-group", response_model=CommunityGroupPublic)
async def mark_community_group(organization_id: str, data: CommunityGroupMark, db: DbDep, editor: EditorDep) -> dict:
    """Mark an organisation in the directory as a community group that can host pop-up forums."""
    async with db.transaction() as session:
        group = await community.mark_community_group(session, organization_id, data.areas, editor.name)
        await record_audit(session, editor.user, "community_group.registered", f"organization:{organization_id}")
        return group
