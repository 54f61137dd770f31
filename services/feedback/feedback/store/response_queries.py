"""Published "you said, we did" responses, and what may be said in public of the voices they answer."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Row, func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.domain import Outcome, SourceKind
from feedback.records import AnsweredVoice, Response
from feedback.store.tables import community_groups, feedback, response_feedback, responses
from forum_shared.community_groups import listed
from forum_shared.errors import NotFound


async def add_response(session: AsyncSession, response: Response) -> None:
    await session.execute(
        insert(responses).values(
            id=response.id, escalation_id=response.escalation_id, you_said=response.you_said, we_did=response.we_did,
            outcome=response.outcome, responded_by=response.responded_by, responded_at=response.responded_at,
        )
    )
    if response.feedback_ids:
        await session.execute(
            insert(response_feedback),
            [{"response_id": response.id, "feedback_id": fid} for fid in response.feedback_ids],
        )


async def _records(session: AsyncSession, rows: list[Row[Any]]) -> list[Response]:
    answered = await session.execute(
        select(response_feedback.c.response_id, response_feedback.c.feedback_id).where(
            response_feedback.c.response_id.in_([r.id for r in rows])
        )
    )
    ids: dict[str, list[str]] = {}
    for link in answered:
        ids.setdefault(link.response_id, []).append(link.feedback_id)
    return [
        Response(
            id=r.id, escalation_id=r.escalation_id, you_said=r.you_said, we_did=r.we_did, outcome=Outcome(r.outcome),
            responded_by=r.responded_by, responded_at=r.responded_at, feedback_ids=tuple(ids.get(r.id, ())),
        )
        for r in rows
    ]


async def responses_to_escalation(session: AsyncSession, escalation_id: str) -> list[Response]:
    rows = await session.execute(
        select(responses).where(responses.c.escalation_id == escalation_id).order_by(responses.c.responded_at)
    )
    return await _records(session, list(rows.all()))


async def latest_responses(session: AsyncSession, *, limit: int, offset: int) -> list[Response]:
    rows = await session.execute(
        select(responses).order_by(responses.c.responded_at.desc(), responses.c.id).offset(offset).limit(limit)
    )
    return await _records(session, list(rows.all()))


async def load_response(session: AsyncSession, response_id: str) -> Response:
    row = (await session.execute(select(responses).where(responses.c.id == response_id))).first()
    if row is None:
        raise NotFound(f"There is no published response with id {response_id}.")
    return (await _records(session, [row]))[0]


async def count_responses(session: AsyncSession) -> int:
    return await session.scalar(select(func.count()).select_from(responses)) or 0


async def answered_voices(session: AsyncSession, response_id: str) -> list[AnsweredVoice]:
    # Only what is safe for anyone to read is selected: never words, contact details, member
    # ids, free-text sources or staff criticality.
    rows = await session.execute(
        select(
            feedback.c.source_kind, feedback.c.area, feedback.c.themes, feedback.c.received_at,
            community_groups.c.name.label("group_name"), community_groups.c.registered_at,
            community_groups.c.withdrawn_at,
        )
        .join(response_feedback, response_feedback.c.feedback_id == feedback.c.id)
        .outerjoin(community_groups, community_groups.c.id == feedback.c.community_group_id)
        .where(response_feedback.c.response_id == response_id)
    )
    return [
        AnsweredVoice(
            source_kind=SourceKind(v.source_kind), area=v.area, themes=tuple(v.themes), received_at=v.received_at,
            group_name=v.group_name if listed(v.registered_at, v.withdrawn_at) else None,
        )
        for v in rows
    ]
