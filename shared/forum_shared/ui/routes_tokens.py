"""Administrators manage API tokens for partner organisations' programs; staff read the audit log."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request
from starlette.responses import RedirectResponse, Response

from forum_shared import use_cases
from forum_shared.audit import count_audit, list_audit
from forum_shared.deps import DbDep
from forum_shared.identity import tokens
from forum_shared.text import Line
from forum_shared.ui.auth import AdminUser, StaffUser
from forum_shared.ui.forms import Form, read_form
from forum_shared.ui.pagination import Offset, Pagination
from forum_shared.ui.routes_accounts import TOKEN_ROLE_OPTIONS
from forum_shared.ui.schemas import (
    ApiTokenCreate,
    ApiTokenCreated,
    ApiTokenPublic,
    AuditEntriesPublic,
)
from forum_shared.ui.templating import notify, render

pages = APIRouter(include_in_schema=False)
api = APIRouter()


@pages.get("/admin/tokens")
async def tokens_page(request: Request, user: AdminUser, db: DbDep) -> Response:
    async with db.read() as session:
        rows = await tokens.list_tokens(session)
    return render(request, "kit/admin/tokens.html", tokens=rows, form=Form(), roles=TOKEN_ROLE_OPTIONS)


@pages.post("/admin/tokens")
async def create_token_page(request: Request, user: AdminUser, db: DbDep) -> Response:
    form = await read_form(request, ApiTokenCreate, {"role": "Select what the token may do"})
    if not form.ok:
        async with db.read() as session:
            rows = await tokens.list_tokens(session)
        return render(
            request, "kit/admin/tokens.html", tokens=rows, form=form, roles=TOKEN_ROLE_OPTIONS, status_code=422
        )
    row, token = await use_cases.create_token(db, user, name=form.data.name, role=form.data.role)
    # Shown once, on this response only (pages are never cached), not after a redirect.
    return render(request, "kit/admin/token_created.html", token_row=row, token=token)


@pages.post("/admin/tokens/{token_id}/revoke")
async def revoke_token_page(request: Request, token_id: str, user: AdminUser, db: DbDep) -> Response:
    row = await use_cases.revoke_token(db, user, token_id)
    return notify(
        RedirectResponse("/admin/tokens", status_code=303), request, f"Token “{row['name']}” revoked."
    )


@pages.get("/audit")
async def audit_page(request: Request, user: StaffUser, db: DbDep, action: Line | None = None) -> Response:
    async with db.read() as session:
        total = await count_audit(session, action=action or None)
        page = Pagination.from_request(request, total, 50)
        rows, _ = await list_audit(session, limit=page.size, offset=page.offset, action=action or None)
    return render(request, "kit/audit.html", entries=rows, page=page, action=action or "")


# JSON ----------------------------------------------------------------------------------------


@api.get("/api-tokens", response_model=list[ApiTokenPublic], tags=["API tokens"])
async def list_api_tokens(user: AdminUser, db: DbDep) -> list[dict[str, Any]]:
    """Every API token, newest first; the tokens themselves are never shown again."""
    async with db.read() as session:
        return await tokens.list_tokens(session)


@api.post("/api-tokens", response_model=ApiTokenCreated, status_code=201, tags=["API tokens"])
async def create_api_token(body: ApiTokenCreate, user: AdminUser, db: DbDep) -> dict[str, Any]:
    """Make a token for a partner organisation's program; it is shown this once only."""
    row, token = await use_cases.create_token(db, user, name=body.name, role=body.role)
    return {**row, "token": token}


@api.post("/api-tokens/{token_id}/revoke", response_model=ApiTokenPublic, tags=["API tokens"])
async def revoke_api_token(token_id: str, user: AdminUser, db: DbDep) -> dict[str, Any]:
    """Stop a token working, at once."""
    return await use_cases.revoke_token(db, user, token_id)


@api.get("/audit-log", response_model=AuditEntriesPublic, tags=["audit"])
async def audit_log(
    user: StaffUser,
    db: DbDep,
    action: Line | None = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Who changed what, and when, newest first (staff and administrators)."""
    async with db.read() as session:
        items, total = await list_audit(session, limit=limit, offset=offset, action=action)
    return {"items": items, "total": total}
