"""Sign-in, sign-out and changing your own password."""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from forum_shared import use_cases
from forum_shared.deps import DbDep
from forum_shared.identity import accounts, passwords
from forum_shared.identity.principal import Principal
from forum_shared.text import Line
from forum_shared.ui.auth import NotAllowed, SignedIn
from forum_shared.ui.forms import Form, read_form
from forum_shared.ui.limits import rate_limit
from forum_shared.ui.negotiation import safe_next
from forum_shared.ui.templating import notify, render, uk_time

router = APIRouter(include_in_schema=False)

WRONG_DETAILS = "Enter a correct email address and password"


class SignInForm(BaseModel):
    email: Line = Field(title="your email address", max_length=320)
    password: str = Field(title="your password", max_length=passwords.MAX_LENGTH)


class PasswordForm(BaseModel):
    current_password: str = Field(title="your current password", max_length=passwords.MAX_LENGTH)
    new_password: str = Field(title="a new password", max_length=passwords.MAX_LENGTH)
    confirm_password: str = Field(title="the new password again", max_length=passwords.MAX_LENGTH)


def signed_in_response(request: Request, token: str, to: str) -> Response:
    ui = request.app.state.kit.ui
    response = RedirectResponse(to, status_code=303)
    ui.set_cookie(
        response, ui.session_cookie, token, request.app.state.kit.settings.session_lifetime_minutes * 60
    )
    return response


@router.get("/sign-in")
async def sign_in_page(request: Request, next: Line | None = None) -> Response:
    if request.state.principal is not None:
        return RedirectResponse(safe_next(next), status_code=303)
    return render(request, "kit/sign_in.html", form=Form(), next=safe_next(next))


@router.post("/sign-in", dependencies=[Depends(rate_limit("sign_in"))])
async def sign_in(request: Request, db: DbDep) -> Response:
    kit = request.app.state.kit
    form = await read_form(
        request, SignInForm, {"email": "Enter your email address", "password": "Enter your password"}
    )
    # A file posted as "next" is no path: it is treated as none given.
    posted_next = (await request.form()).get("next")
    next_path = safe_next(posted_next if isinstance(posted_next, str) else None)
    if not form.ok:
        return render(request, "kit/sign_in.html", form=form, next=next_path, status_code=422)
    settings = kit.settings
    outcome = await use_cases.sign_in(
        db,
        form.data.email,
        form.data.password,
        max_failures=settings.sign_in_max_failures,
        lockout=timedelta(minutes=settings.sign_in_lockout_minutes),
        session_lifetime=timedelta(minutes=settings.session_lifetime_minutes),
    )
    if outcome.locked_until is not None:
        form.add_error(
            "email",
            f"You have entered the wrong details too many times. Try again after {uk_time(outcome.locked_until)}.",
        )
        wait = math.ceil((outcome.locked_until - datetime.now(UTC)).total_seconds())
        return render(
            request,
            "kit/sign_in.html",
            form=form,
            next=next_path,
            status_code=429,
            headers={"Retry-After": str(max(wait, 1))},
        )
    if outcome.account is None or outcome.session_token is None:
        form.add_error("email", WRONG_DETAILS)
        return render(request, "kit/sign_in.html", form=form, next=next_path, status_code=422)
    return signed_in_response(request, outcome.session_token, next_path)


@router.post("/sign-out")
async def sign_out(request: Request, db: DbDep) -> Response:
    ui = request.app.state.kit.ui
    token = request.cookies.get(ui.session_cookie)
    if token:
        await use_cases.sign_out(db, token, request.state.principal)
    response = RedirectResponse("/sign-in", status_code=303)
    response.delete_cookie(
        ui.session_cookie, path="/", secure=ui.secure_cookies, httponly=True, samesite="lax"
    )
    return notify(response, request, "You have signed out.", title="Signed out", kind="info")


def _only_people(user: Principal) -> None:
    if user.kind != "account":
        raise NotAllowed("API tokens have no password to change.")


@router.get("/account/password")
async def password_page(request: Request, user: SignedIn) -> Response:
    _only_people(user)
    return render(request, "kit/password.html", form=Form())


@router.post("/account/password")
async def change_password(request: Request, user: SignedIn, db: DbDep) -> Response:
    _only_people(user)
    kit = request.app.state.kit
    form = await read_form(request, PasswordForm)
    if form.ok:
        async with db.read() as session:
            account = await accounts.get_account(session, user.id)
        if not await passwords.verify_password(account["password_hash"], form.data.current_password):
            form.add_error("current_password", "Your current password is not right")
        elif problem := passwords.problem_with(form.data.new_password):
            form.add_error("new_password", problem)
        elif form.data.new_password != form.data.confirm_password:
            form.add_error("confirm_password", "The new passwords do not match")
    if not form.ok:
        return render(request, "kit/password.html", form=form, status_code=422)
    new_hash = await passwords.hash_password(form.data.new_password)
    # A new password signs the account out everywhere, then back in here.
    token = await use_cases.change_own_password(
        db, user, new_hash, timedelta(minutes=kit.settings.session_lifetime_minutes)
    )
    return notify(signed_in_response(request, token, "/"), request, "Your password has been changed.")
