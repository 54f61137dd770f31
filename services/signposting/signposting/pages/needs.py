"""Staff keep the list of needs (taxonomy terms) that services are tagged with and people search by."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from sqlalchemy import select
from starlette.responses import RedirectResponse, Response

from forum_shared.audit import record_audit
from forum_shared.ui import Form, StaffUser, notify, render
from signposting import directory
from signposting.pages.finding import need_options
from signposting.pages.validation import check, given, posted
from signposting.schemas import TaxonomyCreate, TaxonomyTermCreate
from signposting.store import taxonomies

router = APIRouter(include_in_schema=False)
FORUM_NEEDS = "Partnership Forum needs"


def _db(request: Request):
    return request.app.state.kit.db


async def _show(request: Request, form: Form, status_code: int = 200) -> Response:
    async with _db(request).read() as session:
        needs = await need_options(session)
    parents = [(value, text) for value, text in needs if ": " not in text]
    return render(request, "staff/needs.html", form=form, needs=needs, parents=parents, status_code=status_code)


@router.get("/staff/needs")
async def needs_page(request: Request, user: StaffUser) -> Response:
    return await _show(request, Form())


@router.post("/staff/needs")
async def add_need(request: Request, user: StaffUser) -> Response:
    values = await posted(request, ("name", "description", "parent_id"))
    form = check(TaxonomyTermCreate, values, given(values), messages={"name": "Enter the need, like Bereavement"})
    if not form.ok:
        return await _show(request, form, status_code=422)
    async with _db(request).transaction() as session:
        # Needs added here belong to the forum's own vocabulary, made the first time it is needed.
        taxonomy_id = await session.scalar(select(taxonomies.c.id).where(taxonomies.c.name == FORUM_NEEDS))
        if taxonomy_id is None:
            taxonomy_id = await directory.save_taxonomy(
                session, TaxonomyCreate(name=FORUM_NEEDS, description="What people ask the forum for help with."), user.name)
            await record_audit(session, user, "directory.taxonomy_added", f"taxonomy:{taxonomy_id}")
        term = form.data.model_copy(update={"taxonomy_id": uuid.UUID(taxonomy_id), "description": form.data.description or f"Help with {form.data.name.lower()}."})
        term_id = await directory.save_taxonomy_term(session, term, user.name)
        await record_audit(session, user, "directory.need_added", f"taxonomy_term:{term_id}")
    return notify(RedirectResponse("/staff/needs", 303), request, f"{form.data.name} can now be chosen for services and searches.")
