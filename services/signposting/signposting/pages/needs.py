"""Staff keep the list of needs (taxonomy terms) that services are tagged with and people search by."""

from __future__ import annotations

from fastapi import APIRouter, Request
from starlette.responses import RedirectResponse, Response

from forum_shared.db import Database
from forum_shared.ui import Form, StaffUser, notify, render
from forum_shared.web import DbDep
from signposting.pages.validation import check, given, posted
from signposting.schemas.hsds import TaxonomyTermCreate
from signposting.service import needs
from signposting.service.editor import Editor

router = APIRouter(include_in_schema=False)


async def _show(request: Request, db: Database, form: Form, status_code: int = 200) -> Response:
    choices = await needs.need_choices(db)
    options = [(c.id, c.label) for c in choices]
    parents = [(c.id, c.label) for c in choices if not c.nested]
    return render(request, "staff/needs.html", form=form, needs=options, parents=parents, status_code=status_code)


@router.get("/staff/needs")
async def needs_page(request: Request, user: StaffUser, db: DbDep) -> Response:
    return await _show(request, db, Form())


@router.post("/staff/needs")
async def add_need(request: Request, user: StaffUser, db: DbDep) -> Response:
    values = await posted(request, ("name", "description", "parent_id"))
    form = check(TaxonomyTermCreate, values, given(values), messages={"name": "Enter the need, like Bereavement"})
    if not form.ok:
        return await _show(request, db, form, status_code=422)
    await needs.add_forum_need(db, Editor.of(user), form.data)
    return notify(
        RedirectResponse("/staff/needs", 303), request, f"{form.data.name} can now be chosen for services and searches."
    )
