"""Staff pages for pieces of feedback: the triage list (found by reference too), one piece of
feedback, triaging it, closing it, escalating it to governors (public words for the agenda kept
apart from notes for governors only), taking out words that identify someone, and publishing a
“you said, we did” response. Each change is the same use case the JSON API calls."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from feedback.deps import RulesDep
from feedback.domain import FeedbackStatus
from feedback.pages.common import OUTCOME_OPTIONS, POLARITY_OPTIONS, STAFF_WORDS, STATUS_WORDS, area_options
from feedback.schemas import EscalationCreate, FeedbackRedaction, FeedbackTriage, ResponseCreate
from feedback.service import escalation, redaction, responses, themes, triage
from forum_shared.db import Database
from forum_shared.errors import Invalid, RuleBroken
from forum_shared.ui import Form, Pagination, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

SUMMARY_LENGTH = "The summary for the public agenda must be between 3 and 1000 characters"
NOTES_LENGTH = "Notes for governors must be between 3 and 2000 characters"
ESCALATE_MESSAGES: dict[str, str | dict[str, str]] = {
    "summary": {
        "missing": "Enter a summary for the public agenda",
        **dict.fromkeys(("too_short", "too_long", "string_too_short", "string_too_long"), SUMMARY_LENGTH),
    },
    "notes_for_governors": {
        "missing": "Enter notes for governors: why they need to see this",
        **dict.fromkeys(("too_short", "too_long", "string_too_short", "string_too_long"), NOTES_LENGTH),
    },
}
REDACT_MESSAGES: dict[str, str | dict[str, str]] = {"words": "Choose the words to remove"}
RESPONSE_MESSAGES: dict[str, str | dict[str, str]] = {
    "you_said": {"missing": "Enter what people said", "*": "“You said” must be between 3 and 2000 characters"},
    "we_did": {"missing": "Enter what was or will be done", "*": "“We did” must be between 3 and 4000 characters"},
    "outcome": "Select the outcome",
}
CRITICALITY_OPTIONS = [
    (str(n), f"{n}{' (low)' if n == 1 else ' (most critical)' if n == 5 else ''}") for n in range(1, 6)
]


def see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, 303)


@router.get("/staff/feedback")
async def triage_list(request: Request, db: DbDep, user: StaffUser) -> Response:
    wanted = request.query_params.get("reference", "").strip().replace("-", "").upper()
    reference_error = None
    if wanted:
        found = await triage.find_by_reference(db, wanted)
        if found:
            return see_other(f"/staff/feedback/{found}")
        reference_error = "No feedback has that reference: check it is the 8 letters and numbers given"
    status = request.query_params.get("status") or None
    if status not in (None, *FeedbackStatus):
        status = None
    theme = request.query_params.get("theme") or None
    area = request.query_params.get("area") or None
    page = Pagination.from_request(
        request, await triage.count_feedback(db, status=status, theme=theme, area=area), size=20
    )
    items = await triage.list_feedback(db, status=status, theme=theme, area=area, limit=page.size, offset=page.offset)
    theme_names = [t.name for t in await themes.list_themes(db)]
    filters = Form(values={"status": status or "", "theme": theme or "", "area": area or "", "reference": wanted})
    if reference_error:
        filters.add_error("reference", reference_error)
    return render(
        request, "staff_feedback_list.html", items=items, page=page, filters=filters,
        status_options=list(STATUS_WORDS.items()), theme_options=[(t, t.capitalize()) for t in theme_names],
        area_options=area_options(), form=filters, status_code=404 if reference_error else 200, **STAFF_WORDS,
    )


async def _item_page(
    request: Request, db: Database, feedback_id: str, triage_form: Form | None = None, status_code: int = 200
) -> Response:
    item = await triage.get_feedback(db, feedback_id)
    managed = [t.name for t in await themes.list_themes(db)]
    if triage_form is None:
        triage_form = Form(values={
            "themes": list(item.themes), "tags": ", ".join(item.tags), "criticality": item.criticality or "",
            "area": item.area or "", "polarity": item.polarity or "",
            "safeguarding_concern": "true" if item.safeguarding_concern else "",
        })
    theme_names = sorted(set(managed) | set(item.themes))
    return render(
        request, "staff_feedback_item.html", item=item, form=triage_form,
        theme_options=[(t, t.capitalize()) for t in theme_names], area_options=area_options(item.area),
        polarity_options=POLARITY_OPTIONS, criticality_options=CRITICALITY_OPTIONS, status_code=status_code,
        **STAFF_WORDS,
    )


@router.get("/staff/feedback/{feedback_id}")
async def feedback_item(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    return await _item_page(request, db, feedback_id)


@router.post("/staff/feedback/{feedback_id}/triage")
async def triage_feedback(request: Request, feedback_id: str, db: DbDep, rules: RulesDep, user: StaffUser) -> Response:
    posted = await request.form()
    values: dict[str, Any] = {
        "themes": posted.getlist("themes"),
        "tags": [t.strip() for t in str(posted.get("tags", "")).split(",") if t.strip()],
        **{k: str(posted.get(k, "")).strip() for k in ("criticality", "area", "polarity", "safeguarding_concern")},
    }
    form = validate_form(
        FeedbackTriage, values, {"themes": "Choose themes from the list", "criticality": "Select how serious it is"}
    )
    form.values["tags"] = str(posted.get("tags", ""))
    if form.ok:
        try:
            await triage.triage(db, user, feedback_id, form.data, rules)
        except (RuleBroken, Invalid) as exc:
            form.add_error("themes", str(exc))
    if not form.ok:
        return await _item_page(request, db, feedback_id, form, 422)
    return notify(see_other(f"/staff/feedback/{feedback_id}"), request, "Feedback triaged")


@router.post("/staff/feedback/{feedback_id}/close")
async def close(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    try:
        await triage.close(db, user, feedback_id)
    except RuleBroken as exc:
        return notify(see_other(f"/staff/feedback/{feedback_id}"), request, str(exc), title="Not closed", kind="info")
    return notify(see_other(f"/staff/feedback/{feedback_id}"), request, "Feedback closed")


@router.get("/staff/feedback/{feedback_id}/escalate")
async def escalate_page(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    item = await triage.get_feedback(db, feedback_id)
    return render(request, "staff_escalate.html", item=item, form=Form(), **STAFF_WORDS)


@router.post("/staff/feedback/{feedback_id}/escalate")
async def escalate(request: Request, feedback_id: str, db: DbDep, rules: RulesDep, user: StaffUser) -> Response:
    form = await read_form(request, EscalationCreate, ESCALATE_MESSAGES)
    if form.ok:
        raised = await escalation.escalate(db, user, [feedback_id], form.data, rules)
        return notify(
            see_other(f"/staff/feedback/{feedback_id}"), request,
            f"Escalated to governors. They are asked to respond by {raised.respond_by:%-d %B %Y}.",
            title="Feedback escalated",
        )
    item = await triage.get_feedback(db, feedback_id)
    return render(request, "staff_escalate.html", item=item, form=form, status_code=422, **STAFF_WORDS)


async def _redact_page(
    request: Request, db: Database, feedback_id: str, form: Form, status_code: int = 200
) -> Response:
    item = await triage.get_feedback(db, feedback_id)
    words = redaction.words_to_choose(item)
    return render(request, "staff_redact.html", item=item, form=form, word_options=[(w, w) for w in words],
                  status_code=status_code, **STAFF_WORDS)


@router.get("/staff/feedback/{feedback_id}/redact")
async def redact_page(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    return await _redact_page(request, db, feedback_id, Form())


@router.post("/staff/feedback/{feedback_id}/redact")
async def redact(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, FeedbackRedaction, REDACT_MESSAGES)
    if form.ok:
        try:
            await redaction.redact_feedback(db, user, feedback_id, form.data)
        except RuleBroken as exc:
            form.add_error("words", str(exc))
        else:
            return notify(see_other(f"/staff/feedback/{feedback_id}"), request, "The words you chose were removed",
                          title="Words removed")
    return await _redact_page(request, db, feedback_id, form, 422)


@router.get("/staff/feedback/{feedback_id}/respond")
async def respond_page(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    item = await triage.get_feedback(db, feedback_id)
    return render(request, "staff_respond.html", item=item, escalation=None, form=Form(),
                  outcome_options=OUTCOME_OPTIONS, **STAFF_WORDS)


@router.post("/staff/feedback/{feedback_id}/respond")
async def respond(request: Request, feedback_id: str, db: DbDep, user: StaffUser) -> Response:
    form = await read_form(request, ResponseCreate, RESPONSE_MESSAGES)
    if form.ok:
        data = form.data.model_copy(update={"responded_by": form.data.responded_by or user.name})
        try:
            await responses.respond_to_feedback(db, user, feedback_id, data)
        except RuleBroken as exc:
            form.add_error("you_said", str(exc))
        else:
            return notify(
                see_other(f"/staff/feedback/{feedback_id}"), request, "Response published on “You said, we did”"
            )
    item = await triage.get_feedback(db, feedback_id)
    return render(request, "staff_respond.html", item=item, escalation=None, form=form,
                  outcome_options=OUTCOME_OPTIONS, status_code=422, **STAFF_WORDS)
