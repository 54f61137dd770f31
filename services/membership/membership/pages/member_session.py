"""Who is signed in as a member: their own cookie (not the staff sign-in's), read on the pages that
need it. A page for members only sends anyone else to sign in by email, and back afterwards."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.identity import member_passes
from forum_shared.ui.templating import WebUi
from membership import domain
from membership.records import Member
from membership.service import sign_in

HOME = "/your-membership"


def cookie_name(request: Request) -> str:
    ui: WebUi = request.app.state.kit.ui
    # __Host- cookies are only accepted over HTTPS, for this exact host and path "/".
    return f"{'__Host-' if ui.secure_cookies else ''}forum_membership_member"


def set_cookie(request: Request, response: Response, token: str) -> None:
    """httponly, samesite=lax, secure outside development, and as long-lived as a staff sign-in."""
    ui: WebUi = request.app.state.kit.ui
    ui.set_cookie(response, cookie_name(request), token, request.app.state.kit.settings.session_lifetime_minutes * 60)


def delete_cookie(request: Request, response: Response) -> None:
    ui: WebUi = request.app.state.kit.ui
    response.delete_cookie(cookie_name(request), path="/", secure=ui.secure_cookies, httponly=True, samesite="lax")


async def current_member(request: Request) -> Member | None:
    """The member signed in in this browser, or None."""
    if hasattr(request.state, "member"):
        found: Member | None = request.state.member
        return found
    token = request.cookies.get(cookie_name(request))
    member = None
    if token:
        kit = request.app.state.kit
        idle = timedelta(minutes=kit.settings.session_idle_minutes)
        member = await sign_in.signed_in_member(kit.db, token, idle)
    request.state.member = member
    return member


class MemberSignInRequired(Exception):
    def __init__(self, path: str) -> None:
        super().__init__(path)
        self.path = path


async def require_member(request: Request) -> Member:
    member = await current_member(request)
    if member is None:
        raise MemberSignInRequired(request.url.path)
    return member


MaybeMember = Annotated[Member | None, Depends(current_member)]
SignedInMember = Annotated[Member, Depends(require_member)]


def install(app: FastAPI) -> None:
    """Send anyone not signed in from a member's page to sign in by email, and back afterwards."""

    async def to_sign_in(request: Request, exc: Exception) -> Response:
        path = exc.path if isinstance(exc, MemberSignInRequired) else HOME
        return RedirectResponse(f"/members/sign-in?next={quote(path)}", 303)

    app.add_exception_handler(MemberSignInRequired, to_sign_in)


def forum_sites(request: Request) -> list[str]:
    return list(request.app.state.kit.settings.forum_sites.values())


def destination(request: Request, member_id: str, next_url: str | None) -> str:
    """Where a signed-in member goes next: a path here; a page on another of the forum's sites,
    with a member pass for that site in its query; or, for anything else, their membership page."""
    sites = forum_sites(request)
    wanted = domain.safe_next(next_url, sites)
    if wanted is None:
        return HOME
    site = domain.forum_site_origin(wanted, sites) if domain.local_path(wanted) is None else None
    if site is None:
        return wanted
    secret = request.app.state.kit.settings.secret_key.get_secret_value()
    return domain.with_query(wanted, "pass", member_passes.issue(secret, member_id, site))
