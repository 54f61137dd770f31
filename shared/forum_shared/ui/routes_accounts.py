"""Administrators manage the accounts that sign in to this service: pages and JSON."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from forum_shared import use_cases
from forum_shared.db import Database
from forum_shared.deps import DbDep
from forum_shared.identity import accounts, passwords
from forum_shared.identity.principal import ROLE_NAMES, ROLES, TOKEN_ROLES, Principal
from forum_shared.ui.auth import AdminUser
from forum_shared.ui.forms import Form, read_form
from forum_shared.ui.schemas import (
    AccountCreate,
    AccountPublic,
    AccountUpdate,
    Role,
)
from forum_shared.ui.templating import notify, render

pages = APIRouter(include_in_schema=False)
api = APIRouter()

ROLE_HINTS = {
    "admin": "Manages accounts and API tokens, and can do everything staff do.",
    "staff": "Runs the forum day to day.",
    "governor": "Follows escalations and acknowledges them.",
    "partner": "Only sends what partner organisations send, such as feedback (tokens only).",
}
# Never None: an empty password is always too short.
PASSWORD_TOO_SHORT = passwords.problem_with("") or ""
ROLE_OPTIONS = [(role, ROLE_NAMES[role], ROLE_HINTS[role]) for role in ROLES]
TOKEN_ROLE_OPTIONS = [(role, ROLE_NAMES[role], ROLE_HINTS[role]) for role in TOKEN_ROLES]


async def _create_account(db: Database, data: AccountCreate, user: Principal) -> dict[str, Any]:
    password_hash = await passwords.hash_password(data.password)
    return await use_cases.create_account(
        db, user, email=data.email, name=data.name, password_hash=password_hash, role=data.role
    )


async def _change_account(
    db: Database, account_id: str, user: Principal, *, password: str | None = None, **changes: Any
) -> dict[str, Any]:
    if password is not None:
        changes["password_hash"] = await passwords.hash_password(password)
    return await use_cases.change_account(db, user, account_id, **changes)


# Pages ---------------------------------------------------------------------------------------


@pages.get("/admin/accounts")
async def accounts_page(request: Request, user: AdminUser, db: DbDep) -> Response:
    async with db.read() as session:
        rows = await accounts.list_accounts(session)
    return render(request, "kit/admin/accounts.html", accounts=rows)


@pages.get("/admin/accounts/new")
async def new_account_page(request: Request, user: AdminUser) -> Response:
    return render(request, "kit/admin/account_new.html", form=Form(), roles=ROLE_OPTIONS)


@pages.post("/admin/accounts/new")
async def new_account(request: Request, user: AdminUser, db: DbDep) -> Response:
    form = await read_form(request, AccountCreate, {"password": {"string_too_short": PASSWORD_TOO_SHORT}})
    if form.ok:
        if await _email_taken(db, form.data.email):
            form.add_error("email", "There is already an account with that email address")
        else:
            row = await _create_account(db, form.data, user)
            response = RedirectResponse(f"/admin/accounts/{row['id']}", status_code=303)
            return notify(response, request, f"Account created for {row['name']}.")
    return render(request, "kit/admin/account_new.html", form=form, roles=ROLE_OPTIONS, status_code=422)


async def _email_taken(db: Database, email: str) -> bool:
    async with db.read() as session:
        return await accounts.find_by_email(session, email) is not None


@pages.get("/admin/accounts/{account_id}")
async def account_page(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    return await _account_page(request, db, account_id)


async def _account_page(
    request: Request, db: Database, account_id: str, form: Form | None = None, status_code: int = 200
) -> Response:
    async with db.read() as session:
        account = await accounts.get_account(session, account_id)
        locked_until = await accounts.lockout_of(session, account["email"], datetime.now(UTC))
    return render(
        request,
        "kit/admin/account.html",
        account=account,
        locked_until=locked_until,
        roles=ROLE_OPTIONS,
        form=form or Form({"role": account["role"]}),
        status_code=status_code,
    )


class RoleForm(BaseModel):
    role: Role = Field(title="a role")


class NewPasswordForm(BaseModel):
    password: str = Field(
        title="a new password", min_length=passwords.MIN_LENGTH, max_length=passwords.MAX_LENGTH
    )


@pages.post("/admin/accounts/{account_id}/role")
async def change_role(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    form = await read_form(request, RoleForm)
    if not form.ok:
        return await _account_page(request, db, account_id, form, 422)
    await _change_account(db, account_id, user, role=form.data.role)
    return _back_to_account(request, account_id, "Role changed.")


@pages.post("/admin/accounts/{account_id}/password")
async def set_password(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    form = await read_form(request, NewPasswordForm, {"password": {"string_too_short": PASSWORD_TOO_SHORT}})
    if not form.ok:
        return await _account_page(request, db, account_id, form, 422)
    await _change_account(db, account_id, user, password=form.data.password)
    return _back_to_account(
        request, account_id, "New password set. The account has been signed out everywhere."
    )


@pages.post("/admin/accounts/{account_id}/disable")
async def disable(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    await _change_account(db, account_id, user, disabled=True)
    return _back_to_account(
        request, account_id, "Account disabled. It cannot sign in until it is enabled again."
    )


@pages.post("/admin/accounts/{account_id}/enable")
async def enable(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    await _change_account(db, account_id, user, disabled=False)
    return _back_to_account(request, account_id, "Account enabled.")


@pages.post("/admin/accounts/{account_id}/unlock")
async def unlock(request: Request, account_id: str, user: AdminUser, db: DbDep) -> Response:
    await use_cases.unlock_account(db, user, account_id)
    return _back_to_account(request, account_id, "Sign-in unlocked.")


def _back_to_account(request: Request, account_id: str, text: str) -> Response:
    return notify(RedirectResponse(f"/admin/accounts/{account_id}", status_code=303), request, text)


# JSON ----------------------------------------------------------------------------------------


@api.get("/accounts", response_model=list[AccountPublic], tags=["accounts"])
async def list_accounts(user: AdminUser, db: DbDep) -> list[dict[str, Any]]:
    """Every account that can sign in to this service (administrators only)."""
    async with db.read() as session:
        return await accounts.list_accounts(session)


@api.post("/accounts", response_model=AccountPublic, status_code=201, tags=["accounts"])
async def create_account(body: AccountCreate, user: AdminUser, db: DbDep) -> dict[str, Any]:
    """Add an account (administrators only)."""
    return await _create_account(db, body, user)


@api.patch("/accounts/{account_id}", response_model=AccountPublic, tags=["accounts"])
async def update_account(account_id: str, body: AccountUpdate, user: AdminUser, db: DbDep) -> dict[str, Any]:
    """Change an account's role, disable or enable it, or set a new password (administrators only)."""
    return await _change_account(db, account_id, user, **body.model_dump(exclude_none=True))
