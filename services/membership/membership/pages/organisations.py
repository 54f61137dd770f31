"""Staff pages about partner organisations and the members who represent them."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import Conflict
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.ui.forms import Messages
from forum_shared.web import DbDep
from membership import domain
from membership.domain import MemberStatus
from membership.schemas import OrganisationCreate, RepresentativeCreate
from membership.service import members, organisations

router = APIRouter(include_in_schema=False)
KIND_OPTIONS = [(k, k) for k in domain.SUGGESTED_ORGANISATION_KINDS]
MESSAGES: Messages = {
    "name": "Enter the organisation's name",
    "kind": "Enter what kind of organisation it is",
    "website": "Enter the website's full address, such as https://www.example.org",
    "member_id": "Select a member",
}


@router.get("/staff/organisations")
async def organisations_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    found = await organisations.list_organisations(db)
    return render(request, "membership/organisations.html", organisations=found)


@router.get("/staff/organisations/new")
async def new_organisation_page(request: Request, user: StaffUser) -> Response:
    return render(request, "membership/organisation_new.html", form=Form(), kinds=KIND_OPTIONS)


@router.post("/staff/organisations/new")
async def register(request: Request, user: StaffUser, db: DbDep) -> Response:
    form = await read_form(request, OrganisationCreate, MESSAGES)
    if form.ok:
        try:
            organisation = await organisations.register_organisation(db, user, form.data)
            response = RedirectResponse(f"/staff/organisations/{organisation.id}", 303)
            return notify(response, request, f"{organisation.name} is now a partner organisation.")
        except Conflict as exc:
            form.add_error("name", exc.message)
    return render(request, "membership/organisation_new.html", form=form, kinds=KIND_OPTIONS, status_code=422)


async def _organisation_page(
    request: Request, db: Database, organisation_id: str, form: Form, status_code: int = 200
) -> Response:
    organisation = await organisations.get_organisation(db, organisation_id)
    active = await members.find_members(db, status=MemberStatus.active)
    representing = {r.member_id for r in organisation.representatives}
    choices = sorted(
        ((m.id, m.display_name) for m in active if m.id not in representing),
        key=lambda m: m[1].casefold(),
    )
    return render(
        request,
        "membership/organisation.html",
        organisation=organisation,
        members=choices,
        form=form,
        status_code=status_code,
    )


@router.get("/staff/organisations/{organisation_id}")
async def organisation_page(request: Request, organisation_id: str, user: StaffUser, db: DbDep) -> Response:
    return await _organisation_page(request, db, organisation_id, Form())


@router.post("/staff/organisations/{organisation_id}/representatives")
async def add_representative(request: Request, organisation_id: str, user: StaffUser, db: DbDep) -> Response:
    form = await read_form(request, RepresentativeCreate, MESSAGES)
    if form.ok:
        try:
            await organisations.add_representative(db, user, organisation_id, form.data)
            response = RedirectResponse(f"/staff/organisations/{organisation_id}", 303)
            return notify(response, request, "Representative added.")
        except Conflict as exc:
            form.add_error("member_id", exc.message)
    return await _organisation_page(request, db, organisation_id, form, 422)


@router.post("/staff/organisations/{organisation_id}/representatives/{member_id}/remove")
async def remove_representative(
    request: Request, organisation_id: str, member_id: str, user: StaffUser, db: DbDep
) -> Response:
    await organisations.remove_representative(db, user, organisation_id, member_id)
    response = RedirectResponse(f"/staff/organisations/{organisation_id}", 303)
    return notify(response, request, "They no longer represent the organisation.")
