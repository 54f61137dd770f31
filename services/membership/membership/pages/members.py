"""Staff pages about members: find, read, change details, leave, erase."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.errors import Conflict, RuleBroken
from forum_shared.text import Line
from forum_shared.ui import Form, Pagination, StaffUser, notify, render
from forum_shared.web import DbDep
from membership import domain
from membership.domain import MemberStatus
from membership.pages import details_form
from membership.pages.involvement import month_name
from membership.pages.roles import INTEREST_STATUS
from membership.records import Member
from membership.service import members, roles

router = APIRouter(include_in_schema=False)
STATUS_OPTIONS = [(MemberStatus.active.value, "Current members"), (MemberStatus.left.value, "Members who have left")]


@router.get("/staff/members")
async def members_page(
    request: Request,
    user: StaffUser,
    db: DbDep,
    q: Line = "",
    area: Line = "",
    connection: Line = "",
    status: Line = "",
    role_id: Line = "",
) -> Response:
    query = {"q": q, "area": area, "connection": connection, "status": status, "role_id": role_id}
    shown = MemberStatus(status) if status in dict(STATUS_OPTIONS) else None
    found = await members.find_members(
        db,
        area=query["area"] or None,
        connection=query["connection"] or None,
        role_id=query["role_id"] or None,
        status=shown,
        name_or_email=query["q"] or None,
    )
    found.sort(key=lambda m: m.display_name.casefold())
    page = Pagination.from_request(request, len(found), size=25)
    return render(
        request,
        "membership/members.html",
        members=found[page.offset : page.offset + page.size],
        page=page,
        form=Form(query),
        status_options=STATUS_OPTIONS,
        role_options=[(r.id, r.title) for r in await roles.list_roles(db)],
        connection_options=[(c, c) for c in domain.SUGGESTED_CONNECTIONS],
    )


@router.get("/staff/members/{member_id}")
async def member_page(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    overview = await members.member_overview(db, member_id)
    months = sorted({e.worked_on.strftime("%Y-%m") for e in overview.entries}, reverse=True)
    return render(
        request,
        "membership/member.html",
        member=overview.member,
        held=overview.holdings,
        interests=overview.interests,
        represents=overview.representing,
        statuses=INTEREST_STATUS,
        entries=overview.entries[-10:][::-1],
        months=[(m, month_name(m)) for m in months],
    )


async def _change_page(request: Request, member: Member, form: Form, status_code: int = 200) -> Response:
    return render(
        request,
        "membership/member_change.html",
        member=member,
        form=form,
        options=details_form,
        status_code=status_code,
    )


@router.get("/staff/members/{member_id}/change")
async def change_page(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    member = await members.get_member(db, member_id)
    return await _change_page(request, member, Form(details_form.values_of_member(member)))


@router.post("/staff/members/{member_id}/change")
async def change(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    member = await members.get_member(db, member_id)
    form = await details_form.read_change_form(request, member)
    if not form.ok:
        return await _change_page(request, member, form, 422)
    try:
        await members.update_member(db, user, member_id, form.data)
    except RuleBroken as exc:
        return await _change_page(request, member, form.add_error("preferred_channel", exc.message), 422)
    except Conflict as exc:
        return await _change_page(request, member, form.add_error("email", exc.message), 409)
    response = RedirectResponse(f"/staff/members/{member_id}", 303)
    return notify(response, request, "Details changed.")


@router.get("/staff/members/{member_id}/leave")
async def leave_page(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    member = await members.get_member(db, member_id)
    return render(request, "membership/member_leave.html", member=member)


@router.post("/staff/members/{member_id}/leave")
async def leave(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    member = await members.leave(db, user, member_id)
    response = RedirectResponse(f"/staff/members/{member_id}", 303)
    text = f"{member.display_name} has left the forum. Any roles they held end today."
    return notify(response, request, text)


@router.get("/staff/members/{member_id}/erase")
async def erase_page(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    member = await members.get_member(db, member_id)
    return render(request, "membership/member_erase.html", member=member)


@router.post("/staff/members/{member_id}/erase")
async def erase(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    erasure = await members.erase(db, user, member_id)
    return notify(RedirectResponse("/staff/members", 303), request, erasure.message, title="Member erased")
