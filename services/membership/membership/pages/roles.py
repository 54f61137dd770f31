"""Staff pages about involvement roles: advertise, note interest, arrange a chat, assign, end."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound, RuleBroken
from forum_shared.text import Line
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.ui.forms import Messages
from forum_shared.web import DbDep
from membership import domain
from membership.domain import InterestStatus, MemberStatus
from membership.records import Interest, InvolvementRole, RoleHolding
from membership.schemas import AssignmentCreate, AssignmentEnd, ChatArrange, InterestCreate, RoleCreate
from membership.service import holdings, interest, members, roles

router = APIRouter(include_in_schema=False)
YES_NO = [("true", "Yes, time in this role is paid"), ("false", "No, it is voluntary")]
MESSAGES: Messages = {
    "member_id": "Select a member",
    "paid": "Select whether the role is paid",
    "hours_per_month": "Enter about how many hours a month the role takes, such as 6",
    "hourly_rate": "Enter the hourly rate in pounds, such as 12.50",
}
INTEREST_STATUS = {
    InterestStatus.interested: "Interested",
    InterestStatus.chat_arranged: "Chat arranged",
    InterestStatus.assigned: "Has the role",
}


async def _member_options(db: Database) -> list[tuple[str, str]]:
    found = await members.find_members(db, status=MemberStatus.active)
    found.sort(key=lambda m: m.display_name.casefold())
    return [(m.id, f"{m.display_name} ({m.area})" if m.area else m.display_name) for m in found]


def _back_to_role(request: Request, role_id: str, text: str) -> Response:
    return notify(RedirectResponse(f"/staff/roles/{role_id}", 303), request, text)


@router.get("/staff/roles")
async def roles_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return render(request, "membership/roles.html", roles=await roles.list_roles(db))


@router.get("/staff/interests")
async def interests_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    """Every expression of interest, role by role."""
    by_role = await interest.interests_by_role(db)
    waiting = sum(1 for _, found in by_role for i in found if i.status != InterestStatus.assigned)
    return render(
        request, "membership/interests.html", by_role=by_role, waiting=waiting, statuses=INTEREST_STATUS
    )


@router.get("/staff/roles/new")
async def new_role_page(request: Request, user: StaffUser) -> Response:
    return render(request, "membership/role_new.html", form=Form({"vacancies": "1"}), yes_no=YES_NO)


@router.post("/staff/roles/new")
async def advertise(request: Request, user: StaffUser, db: DbDep) -> Response:
    form = await read_form(request, RoleCreate, MESSAGES)
    if "form" in form.errors:  # the rate and "paid" disagree: show it beside the rate
        form.errors["hourly_rate"] = form.errors.pop("form").split(": ", 1)[-1]
    if not form.ok:
        return render(request, "membership/role_new.html", form=form, yes_no=YES_NO, status_code=422)
    role = await roles.advertise_role(db, user, form.data)
    return _back_to_role(request, role.id, f"{role.title} is now advertised.")


@router.get("/staff/roles/{role_id}")
async def role_page(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    return render(
        request,
        "membership/role.html",
        role=await roles.get_role(db, role_id),
        history=await holdings.role_history(db, role_id),
        interests=await interest.interests_in_role(db, role_id),
        statuses=INTEREST_STATUS,
    )


async def _member_form_page(
    request: Request,
    db: Database,
    template: str,
    role: InvolvementRole,
    form: Form,
    status_code: int = 200,
    **extra: Any,
) -> Response:
    choices = await _member_options(db)
    return render(request, template, role=role, form=form, members=choices, status_code=status_code, **extra)


@router.get("/staff/roles/{role_id}/interests/new")
async def note_interest_page(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    role = await roles.get_role(db, role_id)
    return await _member_form_page(request, db, "membership/interest_new.html", role, Form())


@router.post("/staff/roles/{role_id}/interests/new")
async def note_interest(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    role = await roles.get_role(db, role_id)
    form = await read_form(request, InterestCreate, MESSAGES)
    if form.ok:
        try:
            noted = await interest.note_interest(db, user, role_id, form.data)
            return _back_to_role(request, role_id, f"{noted.display_name}'s interest is noted.")
        except Conflict as exc:
            form.add_error("member_id", exc.message)
    return await _member_form_page(request, db, "membership/interest_new.html", role, form, 422)


async def _interest(db: Database, role_id: str, interest_id: str) -> tuple[InvolvementRole, Interest]:
    role = await roles.get_role(db, role_id)
    found = next((i for i in await interest.interests_in_role(db, role_id) if i.id == interest_id), None)
    if found is None:
        raise NotFound("There is no such expression of interest in this role.")
    return role, found


@router.get("/staff/roles/{role_id}/interests/{interest_id}/chat")
async def chat_page(request: Request, role_id: str, interest_id: str, user: StaffUser, db: DbDep) -> Response:
    role, found = await _interest(db, role_id, interest_id)
    return render(request, "membership/interest_chat.html", role=role, interest=found, form=Form())


@router.post("/staff/roles/{role_id}/interests/{interest_id}/chat")
async def arrange_chat(
    request: Request, role_id: str, interest_id: str, user: StaffUser, db: DbDep
) -> Response:
    role, found = await _interest(db, role_id, interest_id)
    form = await read_form(request, ChatArrange)
    if not form.ok:
        return render(
            request, "membership/interest_chat.html", role=role, interest=found, form=form, status_code=422
        )
    await interest.arrange_chat(db, user, interest_id, form.data)
    return _back_to_role(request, role_id, f"A chat with {found.display_name} is arranged.")


@router.get("/staff/roles/{role_id}/assign")
async def assign_page(request: Request, role_id: str, user: StaffUser, db: DbDep, member_id: Line = "") -> Response:
    role = await roles.get_role(db, role_id)
    values = {"member_id": member_id, "starts_on": domain.today().isoformat()}
    return await _member_form_page(request, db, "membership/assign.html", role, Form(values))


@router.post("/staff/roles/{role_id}/assign")
async def assign(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    role = await roles.get_role(db, role_id)
    messages: Messages = {**MESSAGES, "starts_on": "Enter the first day they hold the role"}
    form = await read_form(request, AssignmentCreate, messages)
    if form.ok:
        try:
            holding = await holdings.assign_role(db, user, role_id, form.data)
            return _back_to_role(request, role_id, f"{holding.display_name} now holds the role.")
        except Conflict as exc:
            form.add_error("member_id", exc.message)
    return await _member_form_page(request, db, "membership/assign.html", role, form, 422)


async def _holding(db: Database, role_id: str, assignment_id: str) -> RoleHolding:
    holding = await holdings.get_holding(db, assignment_id)
    if holding.role_id != role_id:
        raise NotFound("That person does not hold this role.")
    return holding


@router.get("/staff/roles/{role_id}/holdings/{assignment_id}/end")
async def end_page(
    request: Request, role_id: str, assignment_id: str, user: StaffUser, db: DbDep
) -> Response:
    holding = await _holding(db, role_id, assignment_id)
    form = Form({"ends_on": domain.today().isoformat()})
    return render(request, "membership/holding_end.html", holding=holding, form=form)


@router.post("/staff/roles/{role_id}/holdings/{assignment_id}/end")
async def end(request: Request, role_id: str, assignment_id: str, user: StaffUser, db: DbDep) -> Response:
    holding = await _holding(db, role_id, assignment_id)
    form = await read_form(request, AssignmentEnd, {"ends_on": "Enter the last day they hold the role"})
    if form.ok:
        try:
            await holdings.end_holding(db, user, assignment_id, form.data)
            return _back_to_role(request, role_id, f"{holding.display_name}'s holding of the role ends.")
        except (Conflict, RuleBroken) as exc:
            form.add_error("ends_on", exc.message)
    return render(request, "membership/holding_end.html", holding=holding, form=form, status_code=422)
