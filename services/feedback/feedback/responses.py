"""“You said, we did”: staff publish responses to feedback or escalations, and anyone can read
them — traced to where the voices came from, never to who said them."""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import Rules
from feedback.escalation_schemas import ResponseCreate
from feedback.store import (
    community_groups,
    escalations,
    feedback,
    linked_feedback_ids,
    load_escalation,
    load_feedback,
    response_feedback,
    responses,
    themes,
)
from forum_shared import outbox
from forum_shared.community_groups import listed
from forum_shared.errors import Conflict, NotFound
from forum_shared.events import FeedbackResponded


async def respond_to_feedback(session: AsyncSession, feedback_id: str, data: ResponseCreate) -> dict:
    """Publish a response to one piece of feedback."""
    item = await load_feedback(session, feedback_id)
    _check(domain.status_after_response, item["status"])
    return await _publish(session, data, [feedback_id], escalation_id=None)


async def respond_to_escalation(session: AsyncSession, escalation_id: str, data: ResponseCreate) -> dict:
    """Publish a response to an escalation; it answers all its linked feedback too."""
    esc = await load_escalation(session, escalation_id)
    status = _check(domain.escalation_status_after_response, esc["status"])
    now = datetime.now(UTC)
    await session.execute(
        update(escalations)
        .where(escalations.c.id == escalation_id)
        .values(status=status, responded_at=esc["responded_at"] or now)
    )
    return await _publish(session, data, await linked_feedback_ids(session, escalation_id), escalation_id=escalation_id)


def _check(rule, current: str):
    try:
        return rule(current)
    except domain.RuleBroken as exc:
        raise Conflict(str(exc)) from exc


async def _publish(session: AsyncSession, data: ResponseCreate, feedback_ids: list[str], escalation_id: str | None) -> dict:
    now = datetime.now(UTC)
    row = {"id": str(uuid.uuid4()), "escalation_id": escalation_id, **data.model_dump(), "responded_at": now}
    await session.execute(insert(responses).values(**row))
    if feedback_ids:
        await session.execute(
            insert(response_feedback), [{"response_id": row["id"], "feedback_id": fid} for fid in feedback_ids]
        )
        # Closed feedback stays closed; everything else it answers is now responded to.
        await session.execute(
            update(feedback)
            .where(feedback.c.id.in_(feedback_ids), feedback.c.status != domain.FeedbackStatus.closed)
            .values(status=domain.FeedbackStatus.responded)
        )
    await outbox.record(
        session,
        FeedbackResponded(
            response_id=row["id"],
            feedback_ids=feedback_ids,
            escalation_id=escalation_id,
            outcome=data.outcome,
            responded_at=now,
            you_said=data.you_said,
            we_did=data.we_did,
        ),
    )
    return {**row, "feedback_ids": feedback_ids}


async def published(session: AsyncSession, rules: Rules, *, limit: int = 50, offset: int = 0) -> list[dict]:
    """The public “you said, we did” listing, newest first."""
    rows = (
        await session.execute(
            select(responses).order_by(responses.c.responded_at.desc(), responses.c.id).offset(offset).limit(limit)
        )
    ).all()
    return [await _public_view(session, r, rules) for r in rows]


async def published_one(session: AsyncSession, response_id: str, rules: Rules) -> dict:
    row = (await session.execute(select(responses).where(responses.c.id == response_id))).first()
    if row is None:
        raise NotFound(f"There is no published response with id {response_id}.")
    return await _public_view(session, row, rules)


async def _public_view(session: AsyncSession, response, rules: Rules) -> dict:
    # Only what is safe for anyone to read is selected: never words, contact details, member
    # ids, free-text sources or staff criticality.
    voices = (
        await session.execute(
            select(
                feedback.c.source_kind, feedback.c.area, feedback.c.themes, feedback.c.received_at,
                community_groups.c.name.label("group_name"), community_groups.c.registered_at,
                community_groups.c.withdrawn_at,
            )
            .join(response_feedback, response_feedback.c.feedback_id == feedback.c.id)
            .outerjoin(community_groups, community_groups.c.id == feedback.c.community_group_id)
            .where(response_feedback.c.response_id == response.id)
        )
    ).all()
    managed = set(await session.scalars(select(themes.c.name)))
    traces: Counter = Counter()
    for v in voices:
        group = v.group_name if listed(v.registered_at, v.withdrawn_at) else None
        traces[(v.source_kind, group, v.area, domain.month_of(rules.local_date(v.received_at)))] += 1
    return {
        "id": response.id,
        "you_said": response.you_said,
        "we_did": response.we_did,
        "outcome": response.outcome,
        "outcome_words": domain.OUTCOME_WORDS[domain.Outcome(response.outcome)],
        "responded_at": response.responded_at,
        "themes": sorted({t for v in voices for t in v.themes if t in managed}),
        "escalated": response.escalation_id is not None,
        "voices": len(voices),
        "sources": [
            {
                "description": domain.describe_source(
                    kind, group_name=group, area=area, month=domain.month_words(month)
                ),
                "kind": kind,
                "area": area,
                "month": month,
                "voices": count,
            }
            for (kind, group, area, month), count in sorted(traces.items(), key=lambda t: (t[0][3], t[0][0]))
        ],
    }
