"""Public pages: the start page and "Join the forum", which needs no sign-in."""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.audit import ANONYMOUS
from forum_shared.db import Database
from forum_shared.errors import Conflict, RuleBroken
from forum_shared.ui import Form, MaybeSignedIn, notify, rate_limit, render
from forum_shared.web import DbDep
from membership.pages import details_form
from membership.records import InvolvementRole
from membership.schemas import InterestCreate
from membership.service import joining, roles

router = APIRouter(include_in_schema=False)
NOTE_LIMIT = InterestCreate.model_fields["note"].metadata[0].max_length


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
        role_options=[(r.id, r.title, _role_hint(r)) for r in open_roles],
        options=details_form,
        status_code=status_code,
    )


def _role_hint(role: InvolvementRole) -> str:
    pay = f"Paid £{role.hourly_rate} an hour" if role.paid else "Voluntary"
    return f"{pay}, about {float(role.hours_per_month):g} hours a month. {role.description}"


@router.get("/join")
async def join_page(request: Request, db: DbDep) -> Response:
    return await _join_page(request, db, Form({"consents": [], "connections": [], "access_needs": []}))


@router.post("/join", dependencies=[Depends(rate_limit("public_form"))])
async def join(request: Request, db: DbDep, user: MaybeSignedIn) -> Response:
    form = await details_form.read_join_form(request)
    posted = await request.form()
    wanted_roles = [r for r in posted.getlist("roles") if isinstance(r, str)]
    note = str(posted.get("role_note") or "").strip()
    form.values.update(roles=wanted_roles, role_note=note)
    if len(note) > NOTE_LIMIT:
        form.add_error("role_note", f"Tell us in {NOTE_LIMIT} characters or fewer")
    if not form.ok:
        return await _join_page(request, db, form, 422)
    try:
        member = await joining.join(db, user or ANONYMOUS, form.data, interested_in=wanted_roles, note=note)
    except RuleBroken as exc:
        form.add_error("preferred_channel", exc.message)
        return await _join_page(request, db, form, 422)
    except Conflict as exc:
        field = "email" if "email" in exc.message else "roles"
        form.add_error(field, exc.message)
        return await _join_page(request, db, form, 409)
    if user is not None and user.has_role("staff", "admin"):
        response = RedirectResponse(f"/staff/members/{member.id}", 303)
        return notify(response, request, f"{member.display_name} has joined the forum.")
    return RedirectResponse("/join/done", 303)


@router.get("/join/done")
async def joined(request: Request) -> Response:
    return render(request, "membership/joined.html")
