"""Governors' pages: open escalations with their respond-by dates, updated live as new ones are
raised; acknowledging an escalation and adding notes to it."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, StreamingResponse

from feedback import audited, escalations, governance
from feedback.deps import TodayDep
from feedback.escalation_schemas import Acknowledgement, NoteCreate
from feedback.pages.common import ESCALATION_COLOURS, ESCALATION_WORDS, ROUTE_WORDS, reference
from forum_shared.errors import Conflict
from forum_shared.ui import Form, GovernorUser, notify, render, validate_form
from forum_shared.web import DbDep

router = APIRouter(include_in_schema=False)

WORDS = {
    "escalation_words": ESCALATION_WORDS, "escalation_colours": ESCALATION_COLOURS, "route_words": ROUTE_WORDS,
    "reference": reference, "link": "/governors",
}


async def _open(db, today) -> list[dict]:
    async with db.read() as session:
        return await escalations.list_escalations(session, today, "open")


@router.get("/governors/escalations")
async def escalations_page(request: Request, db: DbDep, today: TodayDep, user: GovernorUser):
    # The stream starts after the newest event known now, so nothing raised while the page
    # loads is missed.
    after = request.app.state.escalation_feed.last_id
    return render(request, "governor_escalations.html", items=await _open(db, today), after=after, **WORDS)


@router.get("/governors/escalations/list")
async def escalations_fragment(request: Request, db: DbDep, today: TodayDep, user: GovernorUser):
    """Just the list, for the page's script to swap in when a new escalation arrives."""
    return render(request, "_governor_list.html", items=await _open(db, today), **WORDS)


@router.get("/governors/escalations/events")
async def escalation_events(request: Request, user: GovernorUser):
    """Server-sent events: one `escalation` event for each escalation raised after the event id
    the browser last saw (`Last-Event-ID` on reconnecting, else `?after=`)."""
    feed = request.app.state.escalation_feed
    after = request.headers.get("last-event-id") or request.query_params.get("after")
    return StreamingResponse(
        feed.stream(after),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


async def _detail(request: Request, db, today, escalation_id: str, note_form: Form, status_code: int = 200):
    async with db.read() as session:
        esc = await governance.escalation_detail(session, escalation_id, today)
    return render(request, "governor_escalation.html", esc=esc, form=note_form, status_code=status_code, **WORDS)


@router.get("/governors/escalations/{escalation_id}")
async def escalation_page(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser):
    return await _detail(request, db, today, escalation_id, Form())


@router.post("/governors/escalations/{escalation_id}/acknowledge")
async def acknowledge(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser):
    back = RedirectResponse(f"/governors/escalations/{escalation_id}", 303)
    try:
        await audited.acknowledge(db, user, escalation_id, Acknowledgement(governor=user.name), today)
    except Conflict as exc:
        return notify(back, request, str(exc), title="Not acknowledged", kind="info")
    return notify(back, request, "You have acknowledged this escalation", title="Escalation acknowledged")


@router.post("/governors/escalations/{escalation_id}/notes")
async def add_note(request: Request, escalation_id: str, db: DbDep, today: TodayDep, user: GovernorUser):
    text = str((await request.form()).get("text", "")).strip()
    form = validate_form(
        NoteCreate, {"governor": user.name, "text": text},
        {"text": {"missing": "Enter your note", "*": "Your note must be 4000 characters or fewer"}},
    )
    if not form.ok:
        return await _detail(request, db, today, escalation_id, form, 422)
    await audited.add_note(db, user, escalation_id, form.data)
    return notify(RedirectResponse(f"/governors/escalations/{escalation_id}", 303), request, "Note added")
