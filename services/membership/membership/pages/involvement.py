"""Staff pages about the time members give: record it, read a monthly statement, and the finance
team's export of paid time."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.errors import RuleBroken
from forum_shared.text import Line
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.ui.forms import Messages
from forum_shared.ui.templating import uk_date
from forum_shared.web import DbDep
from membership import domain
from membership.schemas import EntryCreate
from membership.service import holdings, involvement, members

router = APIRouter(include_in_schema=False)
KIND_OPTIONS = [
    ("preparation", "Preparation", "Such as reading papers before a meeting."),
    ("travel", "Travel", "Getting to and from a meeting or pop-up forum."),
    ("other", "Something else", "Say what in the note."),
]
MESSAGES: Messages = {
    "kind": "Select what the time was spent on",
    "worked_on": "Enter the day the time was given",
    "hours": {"*": "Enter how long, in hours, such as 1.5 (more than 0, at most 24)"},
}


def month_name(month: str) -> str:
    """'2026-11' → 'November 2026'."""
    first, _ = domain.month_bounds(month)
    return f"{first:%B %Y}"


def _month(month: str) -> str:
    """The month asked for, or this month if none (or no real month) was."""
    try:
        domain.month_bounds(month)
        return month
    except RuleBroken:
        return domain.today().strftime("%Y-%m")


@router.get("/staff/involvement")
async def time_given_page(request: Request, user: StaffUser, db: DbDep, month: Line = "") -> Response:
    """Who holds a role now, with their statement for a month, and the finance export."""
    month = _month(month)
    return render(
        request,
        "membership/time_given.html",
        month=month,
        month_name=month_name(month),
        holders=await holdings.current_holders(db),
        form=Form({"month": month}),
    )


async def _record_page(
    request: Request, db: Database, member_id: str, form: Form, status_code: int = 200
) -> Response:
    member = await members.get_member(db, member_id)
    held = await holdings.member_roles(db, member_id)
    return render(
        request,
        "membership/time_new.html",
        member=member,
        form=form,
        kinds=KIND_OPTIONS,
        holdings=[(h.id, f"{h.role_title} (from {uk_date(h.starts_on)})") for h in held],
        status_code=status_code,
    )


@router.get("/staff/members/{member_id}/involvement/new")
async def record_time_page(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    return await _record_page(request, db, member_id, Form({"worked_on": domain.today().isoformat()}))


@router.post("/staff/members/{member_id}/involvement/new")
async def record_time(request: Request, member_id: str, user: StaffUser, db: DbDep) -> Response:
    form = await read_form(request, EntryCreate, MESSAGES)
    if form.ok:
        try:
            entry = await involvement.record_time(db, user, member_id, form.data)
            response = RedirectResponse(f"/staff/members/{member_id}", 303)
            return notify(response, request, f"{entry.hours} hours of {entry.kind} recorded.")
        except RuleBroken as exc:
            form.add_error("assignment_id", exc.message)
    return await _record_page(request, db, member_id, form, 422)


@router.get("/staff/members/{member_id}/statements/{month}")
async def statement_page(request: Request, member_id: str, month: str, user: StaffUser, db: DbDep) -> Response:
    statement = await involvement.monthly_statement(db, member_id, month)
    return render(request, "membership/statement.html", statement=statement, month_name=month_name(month))
