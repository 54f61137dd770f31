"""Pages for anyone, no sign-in: the start page, giving feedback (anonymously if they wish) and
reading “you said, we did”."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse
from sqlalchemy import func, select

from feedback import responses, service, themes
from feedback.deps import RulesDep
from feedback.pages.common import POLARITY_OPTIONS, area_options, reference
from feedback.schemas import FeedbackCreate
from feedback.store import responses as responses_table
from forum_shared.ui import Form, MaybeSignedIn, Pagination, rate_limit, read_form, render
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

MESSAGES = {
    "text": "Enter what you would like to tell us",
    "contact_email": "Enter an email address in the correct format, like name@example.com",
    "area": "Choose an area from the list",
}
CONSENT_NEEDED = (
    "Tick the box to agree to be contacted, or leave your contact details empty to stay anonymous"
)


@router.get("/")
async def start_page(request: Request, user: MaybeSignedIn):
    return render(request, "feedback_home.html")


async def _theme_options(db) -> list[tuple[str, str]]:
    async with db.read() as session:
        return [(t["name"], t["name"].capitalize()) for t in await themes.list_themes(session)]


async def _form_page(request: Request, db, form: Form, status_code: int = 200):
    return render(
        request, "give_feedback.html", form=form, theme_options=await _theme_options(db), areas=area_options(),
        polarity_options=POLARITY_OPTIONS, status_code=status_code,
    )


@router.get("/give-feedback")
async def give_feedback_page(request: Request, db: DbDep):
    return await _form_page(request, db, Form())


@router.post("/give-feedback", dependencies=[Depends(rate_limit("public_form"))])
async def give_feedback(request: Request, db: DbDep, rules: RulesDep):
    form = await read_form(request, FeedbackCreate, MESSAGES)
    # The model's own rule (contact details need consent) has no single field: show it by the box.
    if "form" in form.errors:
        del form.errors["form"]
        form.add_error("contact_consent", CONSENT_NEEDED)
    if not form.ok:
        return await _form_page(request, db, form, 422)
    async with db.transaction() as session:
        item = await service.receive_feedback(session, form.data, rules)
    return RedirectResponse(f"/give-feedback/sent?reference={reference(item['id'])}", 303)


@router.get("/give-feedback/sent")
async def feedback_sent(request: Request):
    ref = request.query_params.get("reference", "")
    if not re.fullmatch(r"[0-9A-F]{8}", ref):
        ref = None
    return render(request, "feedback_sent.html", reference=ref)


@router.get("/you-said-we-did")
async def you_said_we_did(request: Request, db: DbDep, rules: RulesDep):
    async with db.read() as session:
        total = await session.scalar(select(func.count()).select_from(responses_table))
        page = Pagination.from_request(request, total or 0, size=10)
        items = await responses.published(session, rules, limit=page.size, offset=page.offset)
    return render(request, "you_said_we_did.html", items=items, page=page)
