"""JSON route for the community groups the directory lists: whose views staff and partners'
programs may record."""

from typing import Annotated

from fastapi import APIRouter, Depends

from feedback.schemas import CommunityGroupPublic
from feedback.service import directory
from forum_shared.ui import Principal, require_role
from forum_shared.web import DbDep

router = APIRouter(tags=["community groups"])


@router.get("/community-groups", response_model=list[CommunityGroupPublic])
async def listed_groups(
    db: DbDep, user: Annotated[Principal, Depends(require_role("staff", "admin", "partner"))]
) -> list[CommunityGroupPublic]:
    """The community groups the signposting directory lists, by name."""
    return [CommunityGroupPublic.model_validate(g) for g in await directory.listed_groups(db)]
