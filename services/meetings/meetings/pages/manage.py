"""Managing a registration without signing in: every email about a registration links here with
a signed token that names it and stops working when the meeting starts. The person can see the
meeting and their registration, change what would help them take part, and cancel."""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import ForumError
from forum_shared.identity import links
from forum_shared.identity.links import LinkRefused
from forum_shared.ui import Form, notify, rate_limit, read_form, render
from forum_shared.web import DbDep
from meetings.config import Settings
from meetings.deps import SettingsDep
from meetings.domain import RegistrationStatus
from meetings.pages.common import ACCESS_OPTIONS
from meetings.records import Meeting, Registration
from meetings.schemas.registrations import RegistrationNeeds
from meetings.service import registration
from meetings.service.emails import MANAGE_PATH, MANAGE_PURPOSE

router = APIRouter(include_in_schema=False)

NOT_VALID = "This link is not valid. Check you copied all of it, or ask for a new one."


def _registration_id(settings: Settings, token: str) -> str:
    try:
        return links.read(settings.secret_key.get_secret_value(), MANAGE_PURPOSE, token)
    except (TypeError, ValueError) as exc:  # not a token at all (e.g. letters a token never has)
        raise LinkRefused(NOT_VALID) from exc


def refused_page(request: Request, exc: LinkRefused, sign_in: str | None = None) -> Response:
    """The page for a link or pass that was refused, with what to do (403: it grants nothing)."""
    return render(request, "link_refused.html", message=str(exc), sign_in=sign_in, status_code=403)


def _page(
    request: Request, token: str, meeting: Meeting, place: Registration, form: Form, status_code: int = 200
) -> Response:
    can_change = meeting.open_for_registration(datetime.now(UTC)) and place.status != RegistrationStatus.cancelled
    return render(
        request, "manage.html", meeting=meeting, registration=place, form=form, access=ACCESS_OPTIONS,
        can_change=can_change, manage_path=MANAGE_PATH + token, status_code=status_code,
    )


def _needs_form(place: Registration) -> Form:
    return Form({"access_needs": list(place.access_needs), "access_notes": place.access_notes or ""})


@router.get(MANAGE_PATH + "{token}")
async def manage_page(request: Request, token: str, db: DbDep, settings: SettingsDep) -> Response:
    try:
        registration_id = _registration_id(settings, token)
    except LinkRefused as exc:
        return refused_page(request, exc)
    meeting, place = await registration.registration_to_manage(db, registration_id)
    return _page(request, token, meeting, place, _needs_form(place))


@router.post(MANAGE_PATH + "{token}", dependencies=[Depends(rate_limit("public_form"))])
async def change_needs(request: Request, token: str, db: DbDep, settings: SettingsDep) -> Response:
    try:
        registration_id = _registration_id(settings, token)
    except LinkRefused as exc:
        return refused_page(request, exc)
    form = await read_form(request, RegistrationNeeds)
    if form.ok:
        try:
            await registration.change_needs(db, registration_id, form.data)
        except ForumError as exc:
            form.add_error("form", exc.message)
        else:
            response = RedirectResponse(MANAGE_PATH + token, status_code=303)
            return notify(response, request, "We have saved what would help you take part.", title="Changes saved")
    meeting, place = await registration.registration_to_manage(db, registration_id)
    return _page(request, token, meeting, place, form, status_code=422)


@router.get(MANAGE_PATH + "{token}/cancel")
async def cancel_page(request: Request, token: str, db: DbDep, settings: SettingsDep) -> Response:
    try:
        registration_id = _registration_id(settings, token)
    except LinkRefused as exc:
        return refused_page(request, exc)
    meeting, place = await registration.registration_to_manage(db, registration_id)
    return render(
        request, "manage_cancel.html", meeting=meeting, registration=place, manage_path=MANAGE_PATH + token,
        form=Form(),
    )


@router.post(MANAGE_PATH + "{token}/cancel", dependencies=[Depends(rate_limit("public_form"))])
async def cancel(request: Request, token: str, db: DbDep, settings: SettingsDep) -> Response:
    try:
        registration_id = _registration_id(settings, token)
    except LinkRefused as exc:
        return refused_page(request, exc)
    try:
        place = await registration.cancel_own_registration(db, registration_id, organizer=settings.mail_from)
    except ForumError as exc:
        meeting, place = await registration.registration_to_manage(db, registration_id)
        return render(
            request, "manage_cancel.html", meeting=meeting, registration=place, manage_path=MANAGE_PATH + token,
            form=Form(errors={"form": exc.message}), status_code=exc.status_code,
        )
    text = "Your registration is cancelled." + (
        " We have sent you an email to confirm it." if place.contact_email else ""
    )
    return notify(RedirectResponse(MANAGE_PATH + token, status_code=303), request, text, title="Registration cancelled")
