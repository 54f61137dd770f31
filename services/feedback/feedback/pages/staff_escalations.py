"""Staff pages for escalations: the list (open, overdue, resolved, all), one escalation with its
notes and responses, publishing a “you said, we did” response to it, and resolving it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from feedback.deps import TodayDep
from feedback.pages.common import OUTCOME_OPTIONS, STAFF_WORDS
from feedback.pages.staff_feedback import RESPONSE_MESSAGES, see_other
from feedback.schemas import Resolution, ResponseCreate
from feedback.service import governance, responses
from feedback.service.escalation import list_escalations
from forum_shared.errors import RuleBroken
from forum_shared.ui import Form, StaffUser, notify, read_form, render
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

SHOWN = ("open", "overdue", "raised", "acknowledged", "responded", "resolved", "all")


@router.get("/staff/escalations")
async def escalation_list(request: Request, db: DbDep, today: TodayDep, user: StaffUser) -> Response:
    status = request.query_params.get("status") or "open"
    if status not in SHOWN:
        status = "open"
    items = await list_escalations(db, today, None if status == "all" else status)
    return render(request, "staff_escalations.html", items=items, status=status, **STAFF_WORDS)


@router.get("/staff/escalations/{escalation_id}")
async def escalation_item(
    request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser
) -> Response:
    esc = await governance.escalation_in_full(db, escalation_id, today)
    return render(request, "staff_escalation.html", esc=esc, **STAFF_WORDS)


@router.get("/staff/escalations/{escalation_id}/respond")
async def escalation_respond_page(
    request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser
) -> Response:
    esc = await governance.escalation_in_full(db, escalation_id, today)
    return render(request, "staff_respond.html", item=None, escalation=esc, form=Form(values={"you_said": esc.summary}),
                  outcome_options=OUTCOME_OPTIONS, **STAFF_WORDS)


@router.post("/staff/escalations/{escalation_id}/respond")
async def escalation_respond(
    request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser
) -> Response:
    form = await read_form(request, ResponseCreate, RESPONSE_MESSAGES)
    if form.ok:
        data = form.data.model_copy(update={"responded_by": form.data.responded_by or user.name})
        try:
            await responses.respond_to_escalation(db, user, escalation_id, data)
        except RuleBroken as exc:
            form.add_error("you_said", str(exc))
        else:
            return notify(
                see_other(f"/staff/escalations/{escalation_id}"), request, "Response published on “You said, we did”"
            )
    esc = await governance.escalation_in_full(db, escalation_id, today)
    return render(request, "staff_respond.html", item=None, escalation=esc, form=form,
                  outcome_options=OUTCOME_OPTIONS, status_code=422, **STAFF_WORDS)


@router.post("/staff/escalations/{escalation_id}/resolve")
async def escalation_resolve(
    request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: StaffUser
) -> Response:
    back = see_other(f"/staff/escalations/{escalation_id}")
    try:
        await governance.resolve(db, user, escalation_id, Resolution(resolved_by=user.name), today)
    except RuleBroken as exc:
        return notify(back, request, str(exc), title="Not resolved", kind="info")
    return notify(back, request, "Escalation resolved")
