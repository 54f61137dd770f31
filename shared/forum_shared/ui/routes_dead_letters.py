"""Dead letters: events this service could not process, for staff to read and replay after a fix.

The page is `/staff/dead-letters`; programs use `/dead-letters` and `/dead-letters/{id}/replay`.
Both need a staff (or administrator) role: an event's body may hold personal data.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any, Literal

from fastapi import APIRouter, Request
from pydantic import BaseModel, Field
from starlette.responses import RedirectResponse, Response

from forum_shared.consumers import ReplayFailed, list_dead_letters, replay
from forum_shared.db import Database
from forum_shared.deps import DbDep
from forum_shared.errors import Conflict, NotFound
from forum_shared.identity.principal import Principal
from forum_shared.text import Line
from forum_shared.ui.auth import StaffUser
from forum_shared.ui.pagination import RowId
from forum_shared.ui.templating import notify, render

if TYPE_CHECKING:
    from forum_shared.web import ServiceKit

pages = APIRouter(include_in_schema=False)
api = APIRouter(tags=["operations"])
STATUSES = ("dead", "replayed")


class DeadLetterPublic(BaseModel):
    id: int
    consumer: str = Field(description="The consumer that could not process the event.")
    event_id: str | None
    subject: str
    error: str = Field(description="The last error, for whoever fixes it.")
    attempts: int
    status: str = Field(description="dead, or replayed once processed after a fix.")
    dead_at: datetime
    replayed_at: datetime | None
    headers: dict[str, Any]
    body: str


async def _replay(request: Request, db: Database, dead_letter_id: int, user: Principal) -> dict[str, Any]:
    kit: ServiceKit = request.app.state.kit
    try:
        return await replay(db, kit.consumers, dead_letter_id, actor=user)
    except LookupError as exc:
        raise NotFound(f"There is no dead letter {dead_letter_id}.") from exc
    except ReplayFailed as exc:
        raise Conflict(f"Still failing: {exc}") from exc


@api.get("/dead-letters", response_model=list[DeadLetterPublic])
async def dead_letters(
    user: StaffUser, db: DbDep, status: Literal["dead", "replayed"] | None = "dead"
) -> list[dict[str, Any]]:
    """Events this service could not process, with their errors."""
    return await list_dead_letters(db, status)


@api.post("/dead-letters/{dead_letter_id}/replay", response_model=DeadLetterPublic)
async def replay_dead_letter(request: Request, dead_letter_id: RowId, user: StaffUser, db: DbDep) -> dict[str, Any]:
    """Process a dead letter again, once the cause is fixed."""
    return await _replay(request, db, dead_letter_id, user)


@pages.get("/staff/dead-letters")
async def dead_letters_page(request: Request, user: StaffUser, db: DbDep, status: Line = "dead") -> Response:
    status = status if status in STATUSES else "dead"
    letters = await list_dead_letters(db, status)
    return render(request, "kit/dead_letters.html", letters=letters, status=status)


@pages.post("/staff/dead-letters/{dead_letter_id}/replay")
async def replay_dead_letter_page(request: Request, dead_letter_id: RowId, user: StaffUser, db: DbDep) -> Response:
    back = RedirectResponse("/staff/dead-letters", status_code=303)
    try:
        await _replay(request, db, dead_letter_id, user)
    except Conflict as exc:
        return notify(
            back, request, f"Dead letter {dead_letter_id} could not be processed. {exc.message}",
            title="Still failing", kind="info",
        )
    return notify(back, request, f"Dead letter {dead_letter_id} was processed and is now marked replayed.")
