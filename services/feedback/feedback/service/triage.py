"""Staff work through feedback: find it, read it, triage it (themes from the managed list, free
tags, area and a staff-only criticality) and close what needs nothing more."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

from feedback import domain
from feedback.domain import REFERENCE_LENGTH, Rules
from feedback.records import Feedback
from feedback.schemas import FeedbackTriage
from feedback.service import Actor
from feedback.service.escalation import apply_escalation_rules
from feedback.service.themes import require_managed
from feedback.store import feedback_queries
from forum_shared.db import Database
from forum_shared.events.feedback import FeedbackTriaged
from forum_shared.unit_of_work import unit_of_work


async def triage(db: Database, actor: Actor, feedback_id: str, data: FeedbackTriage, rules: Rules) -> Feedback:
    """Fields left out of `data` keep their value. Triage may escalate the feedback by itself
    (a safeguarding concern, top criticality, or a theme several sources raised)."""
    async with unit_of_work(db, actor, "feedback.triaged", f"feedback:{feedback_id}") as work:
        item = await feedback_queries.load_feedback(work.session, feedback_id)
        status = domain.status_after_triage(item.status)
        await require_managed(work.session, data.themes)
        now = datetime.now(UTC)
        changes = {k: v for k, v in data.model_dump().items() if k in data.model_fields_set}
        for listed in ("themes", "tags"):
            if listed in changes:
                changes[listed] = tuple(changes[listed])
        triaged = replace(item, **changes, status=status, triaged_at=now)
        await feedback_queries.save_triage(work.session, triaged)
        await work.publish(
            FeedbackTriaged(
                feedback_id=feedback_id, themes=list(triaged.themes), area=triaged.area, status=status, triaged_at=now
            )
        )
        await apply_escalation_rules(work, triaged, rules, now)
        work.audit("feedback.triaged", themes=list(triaged.themes), criticality=triaged.criticality)
        return await feedback_queries.load_feedback(work.session, feedback_id)


async def close(db: Database, actor: Actor, feedback_id: str) -> Feedback:
    async with unit_of_work(db, actor, "feedback.closed", f"feedback:{feedback_id}") as work:
        item = await feedback_queries.load_feedback(work.session, feedback_id)
        domain.status_after_closing(item.status)
        await feedback_queries.mark_closed(work.session, feedback_id, datetime.now(UTC))
        return await feedback_queries.load_feedback(work.session, feedback_id)


async def get_feedback(db: Database, feedback_id: str) -> Feedback:
    async with db.read() as session:
        return await feedback_queries.load_feedback(session, feedback_id)


async def list_feedback(
    db: Database, *, status: str | None = None, theme: str | None = None, area: str | None = None,
    limit: int = 100, offset: int = 0,
) -> list[Feedback]:
    """Feedback for staff, newest first, optionally of one status, theme or area."""
    async with db.read() as session:
        return await feedback_queries.list_feedback(
            session, status=status, theme=theme, area=area, limit=limit, offset=offset
        )


async def count_feedback(
    db: Database, *, status: str | None = None, theme: str | None = None, area: str | None = None
) -> int:
    """How many pieces `list_feedback` would give with these filters, for paging."""
    async with db.read() as session:
        return await feedback_queries.count_feedback(session, status=status, theme=theme, area=area)


async def find_by_reference(db: Database, wanted: str) -> str | None:
    """The id of the feedback whose reference is `wanted`, if exactly one has it."""
    if len(wanted) != REFERENCE_LENGTH or not all(c in "0123456789ABCDEF" for c in wanted):
        return None
    async with db.read() as session:
        found = await feedback_queries.ids_starting_with(session, wanted.lower())
    return found[0] if len(found) == 1 else None
