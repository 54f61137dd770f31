"""Staff pages: triage feedback, escalate it to governors, publish “you said, we did”, follow
escalations, reports and the theme list. Each change goes through `audited`, as the JSON API's do."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse

from feedback import audited, escalations, governance, reports, service, themes
from feedback.deps import RulesDep, TodayDep
from feedback.domain import FeedbackStatus
from feedback.escalation_schemas import EscalationCreate, Resolution, ResponseCreate
from feedback.pages.common import (
    CHANNEL_WORDS,
    ESCALATION_COLOURS,
    ESCALATION_WORDS,
    OUTCOME_OPTIONS,
    POLARITY_OPTIONS,
    ROUTE_WORDS,
    STATUS_COLOURS,
    STATUS_WORDS,
    area_options,
    query_date,
    reference,
)
from feedback.schemas import FeedbackTriage, ThemeCreate
from forum_shared.errors import Conflict, Invalid, NotFound
from forum_shared.ui import Form, Pagination, StaffUser, notify, read_form, render, validate_form
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

WORDS = {
    "status_words": STATUS_WORDS, "status_colours": STATUS_COLOURS, "escalation_words": ESCALATION_WORDS,
    "escalation_colours": ESCALATION_COLOURS, "route_words": ROUTE_WORDS, "channel_words": CHANNEL_WORDS,
    "reference": reference,
}
ESCALATE_MESSAGES = {
    "summary": {"missing": "Enter a summary for governors", "*": "Summary must be between 3 and 1000 characters"},
    "reason": {"missing": "Enter why governors need to see this", "*": "Reason must be between 3 and 2000 characters"},
}
RESPONSE_MESSAGES = {
    "you_said": {"missing": "Enter what people said", "*": "“You said” must be between 3 and 2000 characters"},
    "we_did": {"missing": "Enter what was or will be done", "*": "“We did” must be between 3 and 4000 characters"},
    "outcome": "Select the outcome",
}


def _see_other(url: str) -> RedirectResponse:
    return RedirectResponse(url, 303)


# -- feedback: the triage list and one piece of feedback ------------------------------------
@router.get("/staff/feedback")
async def triage_list(request: Request, db: DbDep, user: StaffUser):
    wanted = request.query_params.get("reference", "").strip().replace("-", "").upper()
    reference_error = None
    if wanted:
        async with db.read() as session:
            found = await service.find_by_reference(session, wanted)
        if found:
            return _see_other(f"/staff/feedback/{found}")
        reference_error = "No feedback has that reference: check it is the 8 letters and numbers given"
    status = request.query_params.get("status") or None
    if status not in (None, *FeedbackStatus):
        status = None
    theme = request.query_params.get("theme") or None
    area = request.query_params.get("area") or None
    async with db.read() as session:
        total = await service.count_feedback(session, status=status, theme=theme, area=area)
        page = Pagination.from_request(request, total, size=20)
        items = await service.list_feedback(
            session, status=status, theme=theme, area=area, limit=page.size, offset=page.offset
        )
        theme_names = [t["name"] for t in await themes.list_themes(session)]
    filters = Form(values={"status": status or "", "theme": theme or "", "area": area or "", "reference": wanted})
    if reference_error:
        filters.add_error("reference", reference_error)
    return render(
        request, "staff_feedback_list.html", items=items, page=page, filters=filters,
        status_options=list(STATUS_WORDS.items()), theme_options=[(t, t.capitalize()) for t in theme_names],
        area_options=area_options(), form=filters, status_code=404 if reference_error else 200, **WORDS,
    )


async def _item_page(request: Request, db, feedback_id: str, triage_form: Form | None = None, status_code: int = 200):
    async with db.read() as session:
        item = await service.get_feedback(session, feedback_id)
        managed = [t["name"] for t in await themes.list_themes(session)]
    if triage_form is None:
        triage_form = Form(values={
            "themes": item["themes"], "tags": ", ".join(item["tags"]), "criticality": item["criticality"] or "",
            "area": item["area"] or "", "polarity": item["polarity"] or "",
            "safeguarding_concern": "true" if item["safeguarding_concern"] else "",
        })
    theme_names = sorted(set(managed) | set(item["themes"]))
    return render(
        request, "staff_feedback_item.html", item=item, form=triage_form,
        theme_options=[(t, t.capitalize()) for t in theme_names], area_options=area_options(item["area"]),
        polarity_options=POLARITY_OPTIONS,
        criticality_options=[(str(n), f"{n}{' (low)' if n == 1 else ' (most critical)' if n == 5 else ''}") for n in range(1, 6)],
        status_code=status_code, **WORDS,
    )


@router.get("/staff/feedback/{feedback_id}")
async def feedback_item(request: Request, feedback_id: str, db: DbDep, user: StaffUser):
    return await _item_page(request, db, feedback_id)


@router.post("/staff/feedback/{feedback_id}/triage")
async def triage(request: Request, feedback_id: str, db: DbDep, rules: RulesDep, user: StaffUser):
    posted = await request.form()
    values: dict[str, Any] = {
        "themes": posted.getlist("themes"),
        "tags": [t.strip() for t in str(posted.get("tags", "")).split(",") if t.strip()],
        **{k: str(posted.get(k, "")).strip() for k in ("criticality", "area", "polarity", "safeguarding_concern")},
    }
    form = validate_form(FeedbackTriage, values, {"themes": "Choose themes from the list", "criticality": "Select how serious it is"})
    form.values["tags"] = str(posted.get("tags", ""))
    if form.ok:
        try:
            await audited.triage(db, user, feedback_id, form.data, rules)
        except (Conflict, Invalid) as exc:
            form.add_error("themes", str(exc))
    if not form.ok:
        return await _item_page(request, db, feedback_id, form, 422)
    return notify(_see_other(f"/staff/feedback/{feedback_id}"), request, "Feedback triaged")


@router.post("/staff/feedback/{feedback_id}/close")
async def close(request: Request, feedback_id: str, db: DbDep, user: StaffUser):
    try:
        await audited.close(db, user, feedback_id)
    except Conflict as exc:
        return notify(_see_other(f"/staff/feedback/{feedback_id}"), request, str(exc), title="Not closed", kind="info")
    return notify(_see_other(f"/staff/feedback/{feedback_id}"), request, "Feedback closed")


# -- escalating and responding to one piece of feedback --------------------------------------
@router.get("/staff/feedback/{feedback_id}/escalate")
async def escalate_page(request: Request, feedback_id: str, db: DbDep, user: StaffUser):
    async with db.read() as session:
        item = await service.get_feedback(session, feedback_id)
    return render(request, "staff_escalate.html", item=item, form=Form(), **WORDS)


@router.post("/staff/feedback/{feedback_id}/escalate")
async def escalate(request: Request, feedback_id: str, db: DbDep, rules: RulesDep, user: StaffUser):
    form = await read_form(request, EscalationCreate, ESCALATE_MESSAGES)
    if form.ok:
        esc = await audited.escalate(db, user, [feedback_id], form.data, rules)
        return notify(
            _see_other(f"/staff/feedback/{feedback_id}"), request,
            f"Escalated to governors. They are asked to respond by {esc['respond_by']:%-d %B %Y}.",
            title="Feedback escalated",
        )
    async with db.read() as session:
        item = await service.get_feedback(session, feedback_id)
    return render(request, "staff_escalate.html", item=item, form=form, status_code=422, **WORDS)


@router.get("/staff/feedback/{feedback_id}/respond")
async def respond_page(request: Request, feedback_id: str, db: DbDep, user: StaffUser):
    async with db.read() as session:
        item = await service.get_feedback(session, feedback_id)
    return render(request, "staff_respond.html", item=item, escalation=None, form=Form(),
                  outcome_options=OUTCOME_OPTIONS, **WORDS)


@router.post("/staff/feedback/{feedback_id}/respond")
async def respond(request: Request, feedback_id: str, db: DbDep, user: StaffUser):
    form = await read_form(request, ResponseCreate, RESPONSE_MESSAGES)
    if form.ok:
        data = form.data.model_copy(update={"responded_by": form.data.responded_by or user.name})
        try:
            await audited.respond_to_feedback(db, user, feedback_id, data)
        except Conflict as exc:
            form.add_error("you_said", str(exc))
        else:
            return notify(_see_other(f"/staff/feedback/{feedback_id}"), request, "Response published on “You said, we did”")
    async with db.read() as session:
        item = await service.get_feedback(session, feedback_id)
    return render(request, "staff_respond.html", item=item, escalation=None, form=form,
                  outcome_options=OUTCOME_OPTIONS, status_code=422, **WORDS)


# -- escalations, for staff -----------------------------------------------------------------
@router.get("/staff/escalations")
async def escalation_list(request: Request, db: DbDep, today: TodayDep, user: StaffUser):
    status = request.query_params.get("status") or "open"
    if status not in ("open", "overdue", "raised", "acknowledged", "responded", "resolved", "all"):
        status = "open"
    async with db.read() as session:
        items = await escalations.list_escalations(session, today, None if status == "all" else status)
    return render(request, "staff_escalations.html", items=items, status=status, **WORDS)


async def _escalation_page(request, db, today, escalation_id: str):
    async with db.read() as session:
        return await governance.escalation_detail(session, escalation_id, today)


@router.get("/staff/escalations/{escalation_id}")
async def escalation_item(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser):
    esc = await _escalation_page(request, db, today, escalation_id)
    return render(request, "staff_escalation.html", esc=esc, **WORDS)


@router.get("/staff/escalations/{escalation_id}/respond")
async def escalation_respond_page(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser):
    esc = await _escalation_page(request, db, today, escalation_id)
    return render(request, "staff_respond.html", item=None, escalation=esc, form=Form(values={"you_said": esc["summary"]}),
                  outcome_options=OUTCOME_OPTIONS, **WORDS)


@router.post("/staff/escalations/{escalation_id}/respond")
async def escalation_respond(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser):
    form = await read_form(request, ResponseCreate, RESPONSE_MESSAGES)
    if form.ok:
        data = form.data.model_copy(update={"responded_by": form.data.responded_by or user.name})
        try:
            await audited.respond_to_escalation(db, user, escalation_id, data)
        except Conflict as exc:
            form.add_error("you_said", str(exc))
        else:
            return notify(_see_other(f"/staff/escalations/{escalation_id}"), request, "Response published on “You said, we did”")
    esc = await _escalation_page(request, db, today, escalation_id)
    return render(request, "staff_respond.html", item=None, escalation=esc, form=form,
                  outcome_options=OUTCOME_OPTIONS, status_code=422, **WORDS)


@router.post("/staff/escalations/{escalation_id}/resolve")
async def escalation_resolve(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser):
    try:
        await audited.resolve(db, user, escalation_id, Resolution(resolved_by=user.name), today)
    except Conflict as exc:
        return notify(_see_other(f"/staff/escalations/{escalation_id}"), request, str(exc), title="Not resolved", kind="info")
    return notify(_see_other(f"/staff/escalations/{escalation_id}"), request, "Escalation resolved")


# -- reports and themes ---------------------------------------------------------------------
@router.get("/staff/reports")
async def reports_page(request: Request, db: DbDep, rules: RulesDep, today: TodayDep, user: StaffUser):
    since, since_error = query_date(request, "since")
    until, until_error = query_date(request, "until")
    form = Form(values={"since": request.query_params.get("since", ""), "until": request.query_params.get("until", "")})
    if since_error:
        form.add_error("since", since_error)
    if until_error:
        form.add_error("until", until_error)
    async with db.read() as session:
        report = await reports.summary(session, rules, today, since, until)
    query = "&".join(f"{k}={v}" for k, v in (("since", since), ("until", until)) if v)
    return render(request, "staff_reports.html", report=report, form=form, query=query,
                  status_code=422 if form.errors else 200)


async def _themes_page(request: Request, db, form: Form, status_code: int = 200):
    async with db.read() as session:
        items = await themes.list_themes(session, include_retired=True)
    return render(request, "staff_themes.html", items=items, form=form, status_code=status_code)


@router.get("/staff/themes")
async def themes_page(request: Request, db: DbDep, user: StaffUser):
    return await _themes_page(request, db, Form())


@router.post("/staff/themes")
async def add_theme(request: Request, db: DbDep, user: StaffUser):
    form = await read_form(request, ThemeCreate, {"name": "Enter a theme of 2 to 100 characters"})
    if form.ok:
        try:
            theme = await audited.add_theme(db, user, form.data.name)
        except (Conflict, Invalid) as exc:
            form.add_error("name", str(exc))
        else:
            return notify(_see_other("/staff/themes"), request, f"Theme “{theme['name']}” added")
    return await _themes_page(request, db, form, 422)


@router.post("/staff/themes/retire")
async def retire_theme(request: Request, db: DbDep, user: StaffUser):
    name = str((await request.form()).get("name", ""))
    try:
        theme = await audited.retire_theme(db, user, name)
    except (Conflict, Invalid, NotFound) as exc:
        return notify(_see_other("/staff/themes"), request, str(exc), title="Not retired", kind="info")
    return notify(_see_other("/staff/themes"), request, f"Theme “{theme['name']}” retired")
