"""Public pages: the start page and "Join the forum", which needs no sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.audit import ANONYMOUS
from forum_shared.db import Database
from forum_shared.errors import Conflict, RuleBroken
from forum_shared.text import REFUSAL
from forum_shared.ui import Form, MaybeSignedIn, notify, rate_limit, render, validate_form
from forum_shared.ui.forms import Messages
from forum_shared.web import DbDep
from membership.pages import details_form
from membership.records import InvolvementRole
from membership.schemas import InterestOnJoining
from membership.schemas.roles import NOTE_LIMIT
from membership.service import joining, roles

router = APIRouter(include_in_schema=False)
INTEREST_MESSAGES: Messages = {
    "role_note": {
        "too_long": f"Tell us in {NOTE_LIMIT} characters or fewer",
        "string_too_long": f"Tell us in {NOTE_LIMIT} characters or fewer",
        "value_error": REFUSAL,
    },
}


@router.get("/")
async def start_page(request: Request, user: MaybeSignedIn, db: DbDep) -> Response:
    open_roles = await roles.list_roles(db, open_only=True)
    staff = user is not None and user.has_role("staff", "admin")
    return render(request, "membership/start.html", open_roles=open_roles, staff=staff)


async def _join_page(request: Request, db: Database, form: Form, status_code: int = 200) -> Response:
    open_roles = await roles.list_roles(db, open_only=True)
    return render(
        request,
        "membership/join.html",
        form=form,
        role_options=[(r.id, r.title, role_hint(r)) for r in open_roles],
        options=details_form,
        status_code=status_code,
    )


def role_hint(role: InvolvementRole) -> str:
    pay = f"Paid £{role.hourly_rate} an hour" if role.paid else "Voluntary"
    return f"{pay}, about {float(role.hours_per_month):g} hours a month. {role.description}"


@router.get("/join")
async def join_page(request: Request, db: DbDep) -> Response:
    return await _join_page(request, db, Form({"consents": [], "connections": [], "access_needs": []}))


@router.post("/join", dependencies=[Depends(rate_limit("public_form"))])
async def join(request: Request, db: DbDep, user: MaybeSignedIn) -> Response:
    form = await details_form.read_join_form(request)
    posted = await request.form()
    wanted = {"roles": [r for r in posted.getlist("roles") if isinstance(r, str)],
              "role_note": str(posted.get("role_note") or "").strip()}
    interest = validate_form(InterestOnJoining, wanted, INTEREST_MESSAGES)
    form.values.update(wanted)
    form.errors.update(interest.errors)
    if not form.ok:
        return await _join_page(request, db, form, 422)
    actor = user or ANONYMOUS
    try:
        member = await joining.join(
            db, actor, form.data, interested_in=interest.data.roles, note=interest.data.role_note
        )
    except RuleBroken as exc:
        form.add_error("preferred_channel", exc.message)
        return await _join_page(request, db, form, 422)
    except Conflict as exc:
        # Only staff are ever told an email is already a member's; anyone may be told a role closed.
        form.add_error("email" if exc.message == joining.ALREADY_A_MEMBER else "roles", exc.message)
        return await _join_page(request, db, form, 409)
    if member is not None and joining.told_who_is_a_member(actor):
        response = RedirectResponse(f"/staff/members/{member.id}", 303)
        return notify(response, request, f"{member.display_name} has joined the forum.")
    # Joining again with a known email ends here too, so the page tells no one who is a member.
    return RedirectResponse("/join/done", 303)


@router.get("/join/done")
async def joined(request: Request) -> Response:
    return render(request, "membership/joined.html")
