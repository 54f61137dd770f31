"""Members sign in by an emailed link (`membership.service.sign_in`): ask for a link, follow it,
press the button; sign out. Another of the forum's sites sends a member here with `?next=<its
page>` and gets them back with a member pass for that site."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.text import Line
from forum_shared.ui import Form, notify, rate_limit, read_form, render
from forum_shared.web import DbDep
from membership import domain
from membership.pages.member_session import (
    MaybeMember,
    cookie_name,
    delete_cookie,
    destination,
    forum_sites,
    set_cookie,
)
from membership.schemas import SignInLinkRequest
from membership.service import sign_in

router = APIRouter(include_in_schema=False)
SENT = "/members/check-your-email"


def _sign_in_page(request: Request, form: Form, status_code: int = 200) -> Response:
    return render(request, "membership/sign_in.html", form=form, status_code=status_code)


@router.get("/members/sign-in")
async def sign_in_page(request: Request, member: MaybeMember, next: Line | None = None) -> Response:
    if member is not None:
        return RedirectResponse(destination(request, member.id, next), 303)
    return _sign_in_page(request, Form({"next": domain.safe_next(next, forum_sites(request)) or ""}))


@router.post("/members/sign-in", dependencies=[Depends(rate_limit("public_form"))])
async def ask_for_link(request: Request, db: DbDep) -> Response:
    form = await read_form(request, SignInLinkRequest)
    if not form.ok:
        return _sign_in_page(request, form, 422)
    await sign_in.request_link(db, form.data.email, form.data.next, forum_sites(request))
    # The same answer whether or not the address is a member's, so no one can find out who is.
    return RedirectResponse(SENT, 303)


@router.get(SENT)
async def link_sent(request: Request) -> Response:
    return render(request, "membership/sign_in_sent.html")


def _refused(request: Request, refusal: sign_in.LinkRefused) -> Response:
    return render(
        request, "membership/sign_in_refused.html", message=refusal.message, status_code=refusal.status_code
    )


@router.get("/members/sign-in/{token}")
async def link_page(request: Request, token: str, db: DbDep) -> Response:
    """Looking at the link changes nothing (mail scanners fetch links): the button signs in."""
    try:
        await sign_in.check_link(db, token)
    except sign_in.LinkRefused as refusal:
        return _refused(request, refusal)
    return render(request, "membership/sign_in_confirm.html", token=token)


@router.post("/members/sign-in/{token}")
async def use_link(request: Request, token: str, db: DbDep) -> Response:
    settings = request.app.state.kit.settings
    try:
        signed = await sign_in.use_link(db, token, timedelta(minutes=settings.session_lifetime_minutes))
    except sign_in.LinkRefused as refusal:
        return _refused(request, refusal)
    to = destination(request, signed.member_id, signed.next_url)
    response = RedirectResponse(to, 303)
    set_cookie(request, response, signed.session_token)
    if to.startswith("/"):
        notify(response, request, "You are signed in.", title="Signed in")
    return response


@router.post("/members/sign-out")
async def sign_out(request: Request, db: DbDep) -> Response:
    token = request.cookies.get(cookie_name(request))
    if token:
        await sign_in.sign_out(db, token)
    response = RedirectResponse("/members/sign-in", 303)
    delete_cookie(request, response)
    return notify(response, request, "You have signed out.", title="Signed out", kind="info")
