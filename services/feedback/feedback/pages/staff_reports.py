"""Staff pages for reports (counts between two dates, with CSV downloads) and the managed theme
list (add a theme, retire one, bring one back)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from feedback.deps import RulesDep, TodayDep
from feedback.pages.common import query_date
from feedback.pages.staff_feedback import see_other
from feedback.schemas import ThemeCreate
from feedback.service import reports, themes
from forum_shared.db import Database
from forum_shared.errors import NotFound
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)


@router.get("/staff/reports")
async def reports_page(request: Request, db: DbDep, rules: RulesDep, today: TodayDep, user: StaffUser) -> Response:
    since, since_error = query_date(request, "since")
    until, until_error = query_date(request, "until")
    form = Form(values={"since": request.query_params.get("since", ""), "until": request.query_params.get("until", "")})
    if since_error:
        form.add_error("since", since_error)
    if until_error:
        form.add_error("until", until_error)
    report = await reports.summary(db, rules, today, since, until)
    query = "&".join(f"{k}={v}" for k, v in (("since", since), ("until", until)) if v)
    return render(request, "staff_reports.html", report=report, form=form, query=query,
                  status_code=422 if form.errors else 200)


async def _themes_page(request: Request, db: Database, form: Form, status_code: int = 200) -> Response:
    items = await themes.list_themes(db, include_retired=True)
    return render(request, "staff_themes.html", items=items, form=form, status_code=status_code)


@router.get("/staff/themes")
async def themes_page(request: Request, db: DbDep, user: StaffUser) -> Response:
    return await _themes_page(request, db, Form())


@router.post("/staff/themes")
async def add_theme(request: Request, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, ThemeCreate, {"name": "Enter a theme of 2 to 100 characters"})
    if not form.ok:
        return await _themes_page(request, db, form, 422)
    theme = await themes.add_theme(db, user, form.data.name)
    return notify(see_other("/staff/themes"), request, f"Theme “{theme.name}” added")


@router.post("/staff/themes/retire")
async def retire_theme(request: Request, db: DbDep, user: StaffUser) -> Response:
    name = str((await request.form()).get("name", ""))
    try:
        theme = await themes.retire_theme(db, user, name)
    except NotFound as exc:
        return notify(see_other("/staff/themes"), request, str(exc), title="Not retired", kind="info")
    return notify(see_other("/staff/themes"), request, f"Theme “{theme.name}” retired")
