"""Governors' pages: open escalations with their respond-by dates, updated live as new ones are
raised; acknowledging an escalation and adding notes to it; choosing the escalation emails they get."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response, StreamingResponse

from feedback.deps import TodayDep
from feedback.pages.common import GOVERNOR_WORDS
from feedback.records import EmailChoices
from feedback.schemas import Acknowledgement, EscalationEmails, NoteCreate
from feedback.service import emails, governance
from feedback.service.emails import EMAIL_CHOICES_PAGE
from feedback.service.escalation import list_escalations
from forum_shared.db import Database
from forum_shared.errors import RuleBroken
from forum_shared.ui import Form, GovernorUser, Principal, notify, read_form, render, require_role, validate_form
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)


@router.get("/governors/escalations")
async def escalations_page(request: Request, db: DbDep, today: TodayDep, user: GovernorUser) -> Response:
    # The stream starts after the newest event known now, so nothing raised while the page
    # loads is missed.
    after = request.app.state.escalation_feed.last_id
    items = await list_escalations(db, today, "open")
    return render(request, "governor_escalations.html", items=items, after=after, **GOVERNOR_WORDS)


@router.get("/governors/escalations/list")
async def escalations_fragment(request: Request, db: DbDep, today: TodayDep, user: GovernorUser) -> Response:
    """Just the list, for the page's script to swap in when a new escalation arrives."""
    return render(request, "_governor_list.html", items=await list_escalations(db, today, "open"), **GOVERNOR_WORDS)


@router.get("/governors/escalations/events")
async def escalation_events(request: Request, user: GovernorUser) -> StreamingResponse:
    """Server-sent events: one `escalation` event for each escalation raised after the event id
    the browser last saw (`Last-Event-ID` on reconnecting, else `?after=`)."""
    feed = request.app.state.escalation_feed
    after = request.headers.get("last-event-id") or request.query_params.get("after")
    return StreamingResponse(
        feed.stream(after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _detail(
    request: Request, db: Database, today: date, escalation_id: str, note_form: Form, status_code: int = 200
) -> Response:
    esc = await governance.escalation_in_full(db, escalation_id, today)
    return render(request, "governor_escalation.html", esc=esc, form=note_form, status_code=status_code,
                  **GOVERNOR_WORDS)


@router.get("/governors/escalations/{escalation_id}")
async def escalation_page(
    request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser
) -> Response:
    return await _detail(request, db, today, escalation_id, Form())


@router.post("/governors/escalations/{escalation_id}/acknowledge")
async def acknowledge(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser) -> Response:
    back = RedirectResponse(f"/governors/escalations/{escalation_id}", 303)
    try:
        await governance.acknowledge(db, user, escalation_id, Acknowledgement(governor=user.name), today)
    except RuleBroken as exc:
        return notify(back, request, str(exc), title="Not acknowledged", kind="info")
    return notify(back, request, "You have acknowledged this escalation", title="Escalation acknowledged")


@router.post("/governors/escalations/{escalation_id}/notes")
async def add_note(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser) -> Response:
    text = str((await request.form()).get("text", "")).strip()
    form = validate_form(
        NoteCreate, {"governor": user.name, "text": text},
        {"text": {"missing": "Enter your note", "*": "Your note must be 4000 characters or fewer"}},
    )
    if not form.ok:
        return await _detail(request, db, today, escalation_id, form, 422)
    await governance.add_note(db, user, escalation_id, form.data)
    return notify(RedirectResponse(f"/governors/escalations/{escalation_id}", 303), request, "Note added")


GovernorOnly = Annotated[Principal, Depends(require_role("governor"))]
EMAIL_OPTIONS = [
    ("new_escalations", "Each new escalation",
     "An email when an issue is raised with governors, by staff or by one of the forum's rules."),
    ("overdue_escalations", "Each overdue escalation",
     "An email when an escalation passes its respond-by date and the trust has not responded."),
]


def _emails_page(request: Request, choices: EmailChoices, form: Form, status_code: int = 200) -> Response:
    if not form.values:
        form = Form({"emails": [name for name, _, _ in EMAIL_OPTIONS if getattr(choices, name)]})
    return render(request, "governor_emails.html", choices=choices, form=form, options=EMAIL_OPTIONS,
                  status_code=status_code)


@router.get(EMAIL_CHOICES_PAGE)
async def emails_page(request: Request, db: DbDep, user: GovernorOnly) -> Response:
    """A governor chooses the escalation emails they get (only governors: administrators get none)."""
    return _emails_page(request, await emails.email_choices(db, user), Form())


@router.post(EMAIL_CHOICES_PAGE)
async def choose_emails(request: Request, db: DbDep, user: GovernorOnly) -> Response:
    form = await read_form(request, EscalationEmails, {"emails": "Select the emails you want, or none"})
    if not form.ok:
        return _emails_page(request, await emails.email_choices(db, user), form, 422)
    chosen = await emails.choose_emails(db, user, form.data)
    wanted = [text.lower() for name, text, _ in EMAIL_OPTIONS if getattr(chosen, name)]
    message = f"We will email you about {' and '.join(wanted)}" if wanted else "We will not email you about escalations"
    return notify(RedirectResponse(EMAIL_CHOICES_PAGE, 303), request, message, title="Email alerts saved")
