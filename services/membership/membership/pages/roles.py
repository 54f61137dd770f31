"""Staff pages about involvement roles: advertise, note interest, arrange a chat, assign, end."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.web import DbDep
from membership import audited, domain, roles, service
from membership.role_schemas import AssignmentCreate, AssignmentEnd, ChatArrange, InterestCreate, RoleCreate

router = APIRouter(include_in_schema=False)
YES_NO = [("true", "Yes, time in this role is paid"), ("false", "No, it is voluntary")]
MESSAGES = {
    "member_id": "Select a member",
    "paid": "Select whether the role is paid",
    "hours_per_month": "Enter about how many hours a month the role takes, such as 6",
    "hourly_rate": "Enter the hourly rate in pounds, such as 12.50",
}
INTEREST_STATUS = {"interested": "Interested", "chat_arranged": "Chat arranged", "assigned": "Has the role"}


async def _member_options(db) -> list[tuple[str, str]]:
    async with db.read() as session:
        found = await service.list_members(session, status="active")
    found.sort(key=lambda m: m["display_name"].casefold())
    return [
        (m["id"], f"{m['display_name']} ({m['area']})" if m["area"] else m["display_name"]) for m in found
    ]


def _back_to_role(request: Request, role_id: str, text: str) -> Response:
    return notify(RedirectResponse(f"/staff/roles/{role_id}", 303), request, text)


@router.get("/staff/roles")
async def roles_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        found = await roles.list_roles(session)
    return render(request, "membership/roles.html", roles=found)


@router.get("/staff/interests")
async def interests_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    """Every expression of interest, role by role, those not yet settled first."""
    async with db.read() as session:
        by_role = [(r, await roles.list_interests(session, r["id"])) for r in await roles.list_roles(session)]
    waiting = sum(1 for _, found in by_role for i in found if i["status"] != "assigned")
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
    role = await audited.advertise_role(db, user, form.data)
    return _back_to_role(request, role["id"], f"{role['title']} is now advertised.")


@router.get("/staff/roles/{role_id}")
async def role_page(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
        history = await roles.role_history(session, role_id)
        interests = await roles.list_interests(session, role_id)
    return render(
        request,
        "membership/role.html",
        role=role,
        history=history,
        interests=interests,
        statuses=INTEREST_STATUS,
    )


async def _member_form_page(request, db, template: str, role: dict, form: Form, status_code=200, **extra):
    members = await _member_options(db)
    return render(request, template, role=role, form=form, members=members, status_code=status_code, **extra)


@router.get("/staff/roles/{role_id}/interests/new")
async def note_interest_page(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
    return await _member_form_page(request, db, "membership/interest_new.html", role, Form())


@router.post("/staff/roles/{role_id}/interests/new")
async def note_interest(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
    form = await read_form(request, InterestCreate, MESSAGES)
    if form.ok:
        try:
            interest = await audited.note_interest(db, user, role_id, form.data)
            return _back_to_role(request, role_id, f"{interest['display_name']}'s interest is noted.")
        except Conflict as exc:
            form.add_error("member_id", exc.message)
    return await _member_form_page(request, db, "membership/interest_new.html", role, form, 422)


async def _interest(db, role_id: str, interest_id: str) -> tuple[dict, dict]:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
        found = [i for i in await roles.list_interests(session, role_id) if i["id"] == interest_id]
    if not found:
        raise NotFound("There is no such expression of interest in this role.")
    return role, found[0]


@router.get("/staff/roles/{role_id}/interests/{interest_id}/chat")
async def chat_page(request: Request, role_id: str, interest_id: str, user: StaffUser, db: DbDep) -> Response:
    role, interest = await _interest(db, role_id, interest_id)
    return render(request, "membership/interest_chat.html", role=role, interest=interest, form=Form())


@router.post("/staff/roles/{role_id}/interests/{interest_id}/chat")
async def arrange_chat(
    request: Request, role_id: str, interest_id: str, user: StaffUser, db: DbDep
) -> Response:
    role, interest = await _interest(db, role_id, interest_id)
    form = await read_form(request, ChatArrange)
    if not form.ok:
        return render(
            request, "membership/interest_chat.html", role=role, interest=interest, form=form, status_code=422
        )
    await audited.arrange_chat(db, user, interest_id, form.data)
    return _back_to_role(request, role_id, f"A chat with {interest['display_name']} is arranged.")


@router.get("/staff/roles/{role_id}/assign")
async def assign_page(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
    values = {"member_id": request.query_params.get("member_id", ""), "starts_on": domain.today().isoformat()}
    return await _member_form_page(request, db, "membership/assign.html", role, Form(values))


@router.post("/staff/roles/{role_id}/assign")
async def assign(request: Request, role_id: str, user: StaffUser, db: DbDep) -> Response:
    async with db.read() as session:
        role = await roles.get_role(session, role_id)
    messages = {**MESSAGES, "starts_on": "Enter the first day they hold the role"}
    form = await read_form(request, AssignmentCreate, messages)
    if form.ok:
        try:
            holding = await audited.assign_role(db, user, role_id, form.data)
            return _back_to_role(request, role_id, f"{holding['display_name']} now holds the role.")
        except Conflict as exc:
            form.add_error("member_id", exc.message)
    return await _member_form_page(request, db, "membership/assign.html", role, form, 422)


async def _holding(db, role_id: str, assignment_id: str) -> dict:
    async with db.read() as session:
        holding = await roles.get_assignment(session, assignment_id)
    if holding["role_id"] != role_id:
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
            await audited.end_assignment(db, user, assignment_id, form.data)
            return _back_to_role(request, role_id, f"{holding['display_name']}'s holding of the role ends.")
        except (Conflict, Invalid) as exc:
            form.add_error("ends_on", exc.message)
    return render(request, "membership/holding_end.html", holding=holding, form=form, status_code=422)
