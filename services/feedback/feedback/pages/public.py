"""Pages for anyone, no sign-in: the start page, giving feedback (anonymously if they wish) and
reading “you said, we did”."""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from feedback.deps import RulesDep
from feedback.domain import reference
from feedback.pages.common import POLARITY_OPTIONS, area_options
from feedback.schemas import FeedbackCreate
from feedback.service import intake, responses, themes
from forum_shared.db import Database
from forum_shared.ui import Form, MaybeSignedIn, Pagination, rate_limit, read_form, render
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

MESSAGES: dict[str, str | dict[str, str]] = {
    "text": "Enter what you would like to tell us",
    "contact_email": "Enter an email address in the correct format, like name@example.com",
    "area": "Choose an area from the list",
}
CONSENT_NEEDED = (
    "Tick the box to agree to be contacted, or leave your contact details empty to stay anonymous"
)


@router.get("/")
async def start_page(request: Request, user: MaybeSignedIn) -> Response:
    return render(request, "feedback_home.html")


async def _form_page(request: Request, db: Database, form: Form, status_code: int = 200) -> Response:
    theme_options = [(t.name, t.name.capitalize()) for t in await themes.list_themes(db)]
    return render(
        request, "give_feedback.html", form=form, theme_options=theme_options, areas=area_options(),
        polarity_options=POLARITY_OPTIONS, status_code=status_code,
    )


@router.get("/give-feedback")
async def give_feedback_page(request: Request, db: DbDep) -> Response:
    return await _form_page(request, db, Form())


@router.post("/give-feedback", dependencies=[Depends(rate_limit("public_form"))])
async def give_feedback(request: Request, db: DbDep, rules: RulesDep) -> Response:
    form = await read_form(request, FeedbackCreate, MESSAGES)
    # The model's own rule (contact details need consent) has no single field: show it by the box.
    if "form" in form.errors:
        del form.errors["form"]
        form.add_error("contact_consent", CONSENT_NEEDED)
    if not form.ok:
        return await _form_page(request, db, form, 422)
    item = await intake.receive_feedback(db, "anonymous", form.data, rules)
    return RedirectResponse(f"/give-feedback/sent?reference={reference(item.id)}", 303)


@router.get("/give-feedback/sent")
async def feedback_sent(request: Request) -> Response:
    given = request.query_params.get("reference", "")
    return render(request, "feedback_sent.html", reference=given if re.fullmatch(r"[0-9A-F]{8}", given) else None)


@router.get("/you-said-we-did")
async def you_said_we_did(request: Request, db: DbDep, rules: RulesDep) -> Response:
    page = Pagination.from_request(request, await responses.count_published(db), size=10)
    items = await responses.published(db, rules, limit=page.size, offset=page.offset)
    return render(request, "you_said_we_did.html", items=items, page=page)
