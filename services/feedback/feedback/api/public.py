"""Public “you said, we did” routes: what people said and what was done, with no personal data."""

from typing import Annotated

from fastapi import APIRouter, Query

from feedback.deps import RulesDep
from feedback.schemas import YouSaidWeDidPublic
from feedback.service import responses
from forum_shared.ui.pagination import Offset
from forum_shared.web import DbDep

router = APIRouter(tags=["you said, we did"])


@router.get("/public/you-said-we-did", response_model=list[YouSaidWeDidPublic])
async def you_said_we_did(
    db: DbDep, rules: RulesDep,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    offset: Offset = 0,
) -> list[YouSaidWeDidPublic]:
    """What people said and what was done, newest first; no personal data."""
    found = await responses.published(db, rules, limit=limit, offset=offset)
    return [YouSaidWeDidPublic.model_validate(r) for r in found]


@router.get("/public/you-said-we-did/{response_id}", response_model=YouSaidWeDidPublic)
async def you_said_we_did_one(response_id: str, db: DbDep, rules: RulesDep) -> YouSaidWeDidPublic:
    """One published response; no personal data."""
    return YouSaidWeDidPublic.model_validate(await responses.published_one(db, response_id, rules))
