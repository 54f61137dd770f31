"""Your membership: a signed-in member looks after their own membership. They see and change their
details and consents, say which roles interest them, see the time they gave and their monthly
statements, leave, or ask for their details to be erased. Every page uses the member from their
sign-in, never an id in the address, so a member sees only their own record. Changes go through
the same use cases as staff's, audited as the member ("member:<id>")."""

from __future__ import annotations

from datetime import timedelta

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import Conflict, RuleBroken
from forum_shared.ui import Form, notify, rate_limit, read_form, render
from forum_shared.ui.forms import Messages
from forum_shared.web import DbDep
from membership import domain
from membership.pages import details_form
from membership.pages.involvement import month_name
from membership.pages.member_session import HOME, SignedInMember, delete_cookie
from membership.pages.public import role_hint
from membership.pages.roles import INTEREST_STATUS
from membership.records import Member
from membership.schemas import InterestCreate, InterestFromMember
from membership.schemas.roles import NOTE_LIMIT
from membership.service import interest, involvement, members, roles, sign_in

router = APIRouter(include_in_schema=False)
INTEREST_MESSAGES: Messages = {
    "role_id": "Select the role that interests you",
    "note": {"string_too_long": f"Tell us in {NOTE_LIMIT} characters or fewer"},
}


def _home(request: Request, text: str) -> Response:
    return notify(RedirectResponse(HOME, 303), request, text)


@router.get(HOME)
async def your_membership(request: Request, member: SignedInMember, db: DbDep) -> Response:
    overview = await members.member_overview(db, member.id)
    months = sorted({e.worked_on.strftime("%Y-%m") for e in overview.entries}, reverse=True)
    return render(
        request,
        "membership/you.html",
        member=overview.member,
        held=overview.holdings,
        interests=overview.interests,
        statuses=INTEREST_STATUS,
        entries=overview.entries[::-1],
        months=[(m, month_name(m)) for m in months],
    )


# -- details and consents ---------------------------------------------------------------------
async def _details_page(request: Request, member: Member, form: Form, status_code: int = 200) -> Response:
    return render(
        request, "membership/you_details.html", member=member, form=form, options=details_form,
        status_code=status_code,
    )


@router.get(f"{HOME}/details")
async def details_page(request: Request, member: SignedInMember) -> Response:
    return await _details_page(request, member, Form(details_form.values_of_member(member)))


# Limited like a public form: an address already in use is refused, so this is not a way to test
# many addresses quickly.
@router.post(f"{HOME}/details", dependencies=[Depends(rate_limit("public_form"))])
async def change_details(request: Request, member: SignedInMember, db: DbDep) -> Response:
    form = await details_form.read_change_form(request, member)
    if not form.ok:
        return await _details_page(request, member, form, 422)
    try:
        await members.update_member(db, sign_in.actor(member.id), member.id, form.data)
    except RuleBroken as exc:
        return await _details_page(request, member, form.add_error("preferred_channel", exc.message), 422)
    except Conflict:
        message = "You cannot use this email address here. Enter another one, or keep the one you have."
        return await _details_page(request, member, form.add_error("email", message), 409)
    return _home(request, "Your details have been saved.")


# -- roles that interest them -----------------------------------------------------------------
async def _roles_page(
    request: Request, db: Database, member: Member, form: Form, status_code: int = 200
) -> Response:
    overview = await members.member_overview(db, member.id)
    noted = {i.role_id for i in overview.interests}
    held = {h.role_id for h in overview.holdings if h.current}
    open_roles = [r for r in await roles.list_roles(db, open_only=True) if r.id not in noted | held]
    return render(
        request,
        "membership/you_roles.html",
        member=member,
        form=form,
        interests=overview.interests,
        statuses=INTEREST_STATUS,
        role_options=[(r.id, r.title, role_hint(r)) for r in open_roles],
        status_code=status_code,
    )


@router.get(f"{HOME}/roles")
async def roles_page(request: Request, member: SignedInMember, db: DbDep) -> Response:
    return await _roles_page(request, db, member, Form())


@router.post(f"{HOME}/roles")
async def say_interested(request: Request, member: SignedInMember, db: DbDep) -> Response:
    form = await read_form(request, InterestFromMember, INTEREST_MESSAGES)
    if not form.ok:
        return await _roles_page(request, db, member, form, 422)
    wanted = InterestCreate(member_id=member.id, note=form.data.note, would_like_a_chat=True)
    try:
        noted = await interest.note_interest(db, sign_in.actor(member.id), form.data.role_id, wanted)
    except Conflict as exc:
        return await _roles_page(request, db, member, form.add_error("role_id", exc.message), 409)
    return _home(
        request, f"Thank you. We have noted your interest in {noted.role_title}. Someone will be in touch for "
        "an informal chat. There is no interview.",
    )


# -- time given -------------------------------------------------------------------------------
@router.get(f"{HOME}/statements/{{month}}")
async def statement_page(request: Request, month: str, member: SignedInMember, db: DbDep) -> Response:
    statement = await involvement.monthly_statement(db, member.id, month)
    return render(
        request, "membership/statement.html", statement=statement, month_name=month_name(month),
        heading=f"Your time given in {month_name(month)}", back=HOME,
    )


# -- leaving and erasure ----------------------------------------------------------------------
@router.get(f"{HOME}/leave")
async def leave_page(request: Request, member: SignedInMember) -> Response:
    return render(request, "membership/you_leave.html", member=member)


@router.post(f"{HOME}/leave")
async def leave(request: Request, member: SignedInMember, db: DbDep) -> Response:
    try:
        await members.leave(db, sign_in.actor(member.id), member.id)
    except Conflict:
        return _home(request, "You have already left the forum.")
    text = "You have left the forum. Any roles you held end today."
    if member.email:
        text += " We have sent you an email to confirm it."
    return _home(request, text)


@router.get(f"{HOME}/erase")
async def erase_page(request: Request, member: SignedInMember, db: DbDep) -> Response:
    # Paid time this month or last may not have been paid yet: after erasure nobody could pay it.
    since = (domain.today().replace(day=1) - timedelta(days=1)).replace(day=1)
    entries = await involvement.member_entries(db, member.id)
    owed = any(e.paid and e.worked_on >= since for e in entries)
    return render(request, "membership/you_erase.html", member=member, owed=owed)


@router.post(f"{HOME}/erase")
async def erase(request: Request, member: SignedInMember, db: DbDep) -> Response:
    await members.erase(db, sign_in.actor(member.id), member.id)
    response = RedirectResponse("/", 303)
    delete_cookie(request, response)  # the sign-in itself was erased with everything else
    text = "We have erased everything the forum held about you, and asked every part of the forum to do the same."
    if member.email:
        text += " We have sent one last email to confirm it."
    return notify(response, request, text, title="Your details have been erased")
