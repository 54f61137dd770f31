"""Members register without typing an id: "Sign in as a member" goes to membership, which sends
the browser back to `/upcoming-meetings/{id}/register/member` with a pass saying which member it
is (`meetings.service.member_pass`). The member then says where to send the confirmation, if
anywhere, and what would help them take part."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Annotated
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Query, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError, NotFound
from forum_shared.identity.links import LinkRefused
from forum_shared.text import Line
from forum_shared.ui import Form, rate_limit, read_form, render
from forum_shared.web import DbDep
from meetings.config import Settings
from meetings.deps import SettingsDep
from meetings.pages.common import ACCESS_OPTIONS, origin_of, site_url
from meetings.pages.manage import refused_page
from meetings.records import Meeting
from meetings.schemas.registrations import MemberRegistrationDetails, RegistrationCreate
from meetings.service import meetings, member_pass, registration

router = APIRouter(include_in_schema=False)

EMAIL_MESSAGE = "Enter an email address in the correct format, like name@example.com"
NOT_VALID = "This form could not be checked. Please sign in again."
ALREADY = (
    "You are already registered for this meeting. To change or cancel your registration, use the link in the "
    "email we sent you."
)


def member_path(meeting_id: str) -> str:
    return f"/upcoming-meetings/{meeting_id}/register/member"


def member_sign_in(request: Request, settings: Settings, meeting_id: str) -> str | None:
    """Where "Sign in as a member" goes: membership's sign-in, coming back to this meeting's
    member registration; None if this forum has no membership site to sign in at."""
    membership = settings.forum_sites.get("membership")
    if not membership:
        return None
    back = site_url(request, settings.public_url) + member_path(meeting_id)
    return f"{membership.rstrip('/')}/members/sign-in?{urlencode({'next': back})}"


def _page(
    request: Request, meeting: Meeting, form: Form, member_token: str, already: bool = False, status_code: int = 200
) -> Response:
    return render(
        request, "register_member.html", meeting=meeting, form=form, access=ACCESS_OPTIONS, member_token=member_token,
        closed=not meeting.open_for_registration(datetime.now(UTC)), already=already, status_code=status_code,
    )


@router.get("/upcoming-meetings/{meeting_id}/register/member")
async def member_register_page(
    request: Request,
    meeting_id: str,
    db: DbDep,
    settings: SettingsDep,
    member_pass_token: Annotated[Line | None, Query(alias="pass")] = None,
) -> Response:
    sign_in = member_sign_in(request, settings, meeting_id)
    if sign_in is None:
        raise NotFound("Members cannot sign in here: register with your name instead.")
    meeting = await meetings.get_meeting(db, meeting_id)
    if not member_pass_token:
        return RedirectResponse(sign_in, status_code=303)
    audience = origin_of(site_url(request, settings.public_url))
    try:
        member_id = await member_pass.member_id_from_pass(
            settings.forum_sites["membership"], member_pass_token, audience
        )
    except LinkRefused as exc:
        return refused_page(request, exc, sign_in)
    secret = settings.secret_key.get_secret_value()
    already = await registration.member_registration(db, meeting_id, member_id) is not None
    return _page(request, meeting, Form(), member_pass.registration_token(secret, meeting_id, member_id), already)


@router.post("/upcoming-meetings/{meeting_id}/register/member", dependencies=[Depends(rate_limit("public_form"))])
async def member_register(request: Request, meeting_id: str, db: DbDep, settings: SettingsDep) -> Response:
    sign_in = member_sign_in(request, settings, meeting_id)
    if sign_in is None:
        raise NotFound("Members cannot sign in here: register with your name instead.")
    meeting = await meetings.get_meeting(db, meeting_id)
    member_token = str((await request.form()).get("member_token") or "")
    try:
        member_id = member_pass.member_id_from_form(settings.secret_key.get_secret_value(), meeting_id, member_token)
    except (TypeError, ValueError):
        return refused_page(request, LinkRefused(NOT_VALID), sign_in)
    except LinkRefused as exc:
        return refused_page(request, exc, sign_in)
    form = await read_form(request, MemberRegistrationDetails, {"contact_email": EMAIL_MESSAGE})
    if form.ok and await registration.member_registration(db, meeting_id, member_id):
        form.add_error("form", ALREADY)
    if form.ok:
        data = RegistrationCreate(member_id=member_id, **form.data.model_dump())
        try:
            place = await registration.register(db, "anonymous", meeting_id, data, organizer=settings.mail_from)
        except ForumError as exc:
            form.add_error("form", exc.message)
        else:
            return RedirectResponse(f"/upcoming-meetings/{meeting_id}/registered/{place.id}", status_code=303)
    return _page(request, meeting, form, member_token, status_code=422)
