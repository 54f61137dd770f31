"""“You said, we did”: staff publish responses to feedback or escalations, and anyone can read
them, traced to where the voices came from, never to who said them."""

from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import Rules, SourceKind
from feedback.records import PublishedResponse, Response, SourceTrace
from feedback.schemas import ResponseCreate
from feedback.service import Actor, emails
from feedback.store import escalation_queries, feedback_queries, response_queries, theme_queries
from forum_shared.db import Database
from forum_shared.events.feedback import FeedbackResponded
from forum_shared.unit_of_work import Work, unit_of_work


async def respond_to_feedback(db: Database, actor: Actor, feedback_id: str, data: ResponseCreate) -> Response:
    """Publish a response to one piece of feedback."""
    async with unit_of_work(db, actor) as work:
        item = await feedback_queries.load_feedback(work.session, feedback_id)
        domain.status_after_response(item.status)
        response = await _publish(work, data, [feedback_id], escalation_id=None)
        work.audit("response.published", f"response:{response.id}", feedback_ids=[feedback_id])
        return response


async def respond_to_escalation(db: Database, actor: Actor, escalation_id: str, data: ResponseCreate) -> Response:
    """Publish a response to an escalation; it answers all its linked feedback too."""
    async with unit_of_work(db, actor) as work:
        state = await escalation_queries.load_state(work.session, escalation_id)
        status = domain.escalation_status_after_response(state.status)
        answered_at = state.responded_at or datetime.now(UTC)
        await escalation_queries.set_responded(work.session, escalation_id, status, answered_at)
        linked = await escalation_queries.linked_feedback_ids(work.session, escalation_id)
        response = await _publish(work, data, linked, escalation_id=escalation_id)
        work.audit("response.published", f"response:{response.id}", escalation_id=escalation_id)
        return response


async def _publish(
    work: Work, data: ResponseCreate, feedback_ids: Sequence[str], escalation_id: str | None
) -> Response:
    now = datetime.now(UTC)
    response = Response(
        id=str(uuid.uuid4()), escalation_id=escalation_id, you_said=data.you_said, we_did=data.we_did,
        outcome=data.outcome, responded_by=data.responded_by, responded_at=now, feedback_ids=tuple(feedback_ids),
    )
    await response_queries.add_response(work.session, response)
    await emails.send_answer(work, response)
    if feedback_ids:
        await feedback_queries.mark_responded(work.session, feedback_ids)
    await work.publish(
        FeedbackResponded(
            response_id=response.id,
            feedback_ids=list(feedback_ids),
            escalation_id=escalation_id,
            outcome=data.outcome,
            responded_at=now,
            you_said=data.you_said,
            we_did=data.we_did,
        )
    )
    return response


async def published(db: Database, rules: Rules, *, limit: int = 50, offset: int = 0) -> list[PublishedResponse]:
    """The public “you said, we did” listing, newest first."""
    async with db.read() as session:
        return [
            await _public_view(session, r, rules)
            for r in await response_queries.latest_responses(session, limit=limit, offset=offset)
        ]


async def published_one(db: Database, response_id: str, rules: Rules) -> PublishedResponse:
    async with db.read() as session:
        return await _public_view(session, await response_queries.load_response(session, response_id), rules)


async def count_published(db: Database) -> int:
    async with db.read() as session:
        return await response_queries.count_responses(session)


async def _public_view(session: AsyncSession, response: Response, rules: Rules) -> PublishedResponse:
    voices = await response_queries.answered_voices(session, response.id)
    managed = await theme_queries.every_name(session)
    traces: Counter[tuple[SourceKind, str | None, str | None, str]] = Counter()
    for v in voices:
        traces[(v.source_kind, v.group_name, v.area, domain.month_of(rules.local_date(v.received_at)))] += 1
    return PublishedResponse(
        id=response.id,
        you_said=response.you_said,
        we_did=response.we_did,
        outcome=response.outcome,
        outcome_words=domain.OUTCOME_WORDS[response.outcome],
        responded_at=response.responded_at,
        themes=tuple(sorted({t for v in voices for t in v.themes if t in managed})),
        escalated=response.escalation_id is not None,
        voices=len(voices),
        sources=tuple(
            SourceTrace(
                description=domain.describe_source(kind, group_name=group, area=area, month=domain.month_words(month)),
                kind=kind,
                area=area,
                month=month,
                voices=count,
            )
            for (kind, group, area, month), count in sorted(traces.items(), key=lambda t: (t[0][3], t[0][0]))
        ),
    )
