"""Pieces of feedback: recorded, read for staff, triaged, closed, answered, anonymised."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import Row, case, func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.domain import Channel, FeedbackStatus, Polarity, RecordedBy, SourceKind
from feedback.records import Feedback
from feedback.store.tables import escalation_feedback, escalations, feedback, rows_changed
from forum_shared.errors import NotFound

CONTACT = ("contact_name", "contact_email", "contact_phone")
COLUMNS = [f.name for f in fields(Feedback) if f.name != "escalation_ids"]


def _record(row: Row[Any], escalation_ids: Iterable[str] = ()) -> Feedback:
    values = dict(row._mapping)
    return Feedback(
        **{
            **values,
            "channel": Channel(values["channel"]),
            "recorded_by": RecordedBy(values["recorded_by"]),
            "source_kind": SourceKind(values["source_kind"]),
            "polarity": Polarity(values["polarity"]) if values["polarity"] else None,
            "status": FeedbackStatus(values["status"]),
            "themes": tuple(values["themes"]),
            "tags": tuple(values["tags"]),
            "escalation_ids": tuple(escalation_ids),
        }
    )


async def add_feedback(session: AsyncSession, item: Feedback) -> None:
    values = {name: getattr(item, name) for name in COLUMNS}
    values.update(themes=list(item.themes), tags=list(item.tags))
    await session.execute(_ADD, values)


_ADD = insert(feedback)  # made once: each request's insert is then only its values


async def load_feedback(session: AsyncSession, feedback_id: str) -> Feedback:
    row = (await session.execute(select(feedback).where(feedback.c.id == feedback_id))).first()
    if row is None:
        raise NotFound(f"There is no feedback with id {feedback_id}.")
    return _record(row, (await _escalation_ids(session, [feedback_id])).get(feedback_id, ()))


async def _escalation_ids(session: AsyncSession, feedback_ids: Sequence[str]) -> dict[str, list[str]]:
    links = await session.execute(
        select(escalation_feedback.c.feedback_id, escalation_feedback.c.escalation_id)
        .where(escalation_feedback.c.feedback_id.in_(feedback_ids))
        # In the order each was linked (as a new piece of feedback's answer lists them).
        .order_by(escalation_feedback.c.linked_at, escalation_feedback.c.escalation_id)
    )
    found: dict[str, list[str]] = {}
    for link in links:
        found.setdefault(link.feedback_id, []).append(link.escalation_id)
    return found


async def list_feedback(
    session: AsyncSession, *, status: str | None, theme: str | None, area: str | None, limit: int, offset: int
) -> list[Feedback]:
    """Newest first, optionally of one status, theme or area."""
    query = select(feedback).order_by(feedback.c.received_at.desc(), feedback.c.id)
    if status:
        query = query.where(feedback.c.status == status)
    if area:
        query = query.where(feedback.c.area == area)
    if not theme:
        query = query.offset(offset).limit(limit)
    rows = list((await session.execute(query)).all())
    if theme:
        # Themes are a JSON list; filtering here keeps one query for SQLite and PostgreSQL alike.
        wanted = domain.normalise_theme(theme)
        rows = [r for r in rows if wanted in r.themes][offset : offset + limit]
    linked = await _escalation_ids(session, [r.id for r in rows])
    return [_record(r, linked.get(r.id, ())) for r in rows]


async def count_feedback(session: AsyncSession, *, status: str | None, theme: str | None, area: str | None) -> int:
    query = select(feedback.c.themes)
    if status:
        query = query.where(feedback.c.status == status)
    if area:
        query = query.where(feedback.c.area == area)
    rows = (await session.scalars(query)).all()
    if theme:
        wanted = domain.normalise_theme(theme)
        return sum(1 for themes_of in rows if wanted in themes_of)
    return len(rows)


async def ids_starting_with(session: AsyncSession, prefix: str) -> list[str]:
    """At most two ids that start with `prefix`: enough to tell whether one alone does."""
    found = await session.scalars(select(feedback.c.id).where(feedback.c.id.like(f"{prefix}%")).limit(2))
    return list(found)


async def save_triage(session: AsyncSession, item: Feedback) -> None:
    await session.execute(
        update(feedback)
        .where(feedback.c.id == item.id)
        .values(
            themes=list(item.themes), tags=list(item.tags), criticality=item.criticality, area=item.area,
            polarity=item.polarity, safeguarding_concern=item.safeguarding_concern, status=item.status,
            triaged_at=item.triaged_at,
        )
    )


async def mark_closed(session: AsyncSession, feedback_id: str, at: datetime) -> None:
    await session.execute(
        update(feedback).where(feedback.c.id == feedback_id).values(status=FeedbackStatus.closed, closed_at=at)
    )


async def mark_responded(session: AsyncSession, feedback_ids: Sequence[str]) -> None:
    """Closed feedback stays closed; everything else answered is now responded to."""
    await session.execute(
        update(feedback)
        .where(feedback.c.id.in_(feedback_ids), feedback.c.status != FeedbackStatus.closed)
        .values(status=FeedbackStatus.responded)
    )


async def cluster_sources_of(session: AsyncSession, feedback_ids: Sequence[str]) -> list[str | None]:
    return list(await session.scalars(select(feedback.c.cluster_source).where(feedback.c.id.in_(feedback_ids))))


async def unclustered_voices(session: AsyncSession, theme: str, since: datetime) -> list[domain.Voice]:
    """Open feedback on `theme` since `since`, not already joined into a cluster on it (a resolved
    cluster's voices do not count again). Which of them count is the domain's rule."""
    clustered = (
        select(escalation_feedback.c.feedback_id)
        .join(escalations, escalations.c.id == escalation_feedback.c.escalation_id)
        .where(escalations.c.cluster_theme == theme)
    )
    rows = await session.execute(
        select(
            feedback.c.id, feedback.c.cluster_source, feedback.c.themes, feedback.c.received_at, feedback.c.polarity
        ).where(
            feedback.c.received_at >= since,
            feedback.c.cluster_source.is_not(None),
            feedback.c.status != FeedbackStatus.closed,
            feedback.c.id.not_in(clustered),
        )
    )
    return [
        domain.Voice(r.id, r.cluster_source, tuple(r.themes), r.received_at, r.polarity)
        for r in rows
        if theme in r.themes
    ]


async def link_to_pop_up_host(
    session: AsyncSession, pop_up_id: str, community_group_id: str, area: str | None
) -> int:
    """Feedback heard at a pop-up forum, recorded before its host was known, now names the host
    (which also makes views staff entered count as that group for theme clusters; what the public
    sent stays the public's). Returns how many were linked."""
    source = domain.cluster_source(
        RecordedBy.staff, community_group_id=community_group_id, pop_up_id=pop_up_id, meeting_id=None,
        partner_id=None,
    )
    linked = await session.execute(
        update(feedback)
        .where(feedback.c.pop_up_id == pop_up_id, feedback.c.community_group_id.is_(None))
        .values(
            community_group_id=community_group_id,
            cluster_source=case(
                (feedback.c.recorded_by == RecordedBy.public, feedback.c.cluster_source), else_=source
            ),
            area=func.coalesce(feedback.c.area, area),
        )
    )
    return rows_changed(linked)


async def contact_details_of(session: AsyncSession, member_id: str) -> list[tuple[str | None, str | None, str | None]]:
    """The names, email addresses and phone numbers a member gave with their feedback."""
    rows = await session.execute(
        select(feedback.c.contact_name, feedback.c.contact_email, feedback.c.contact_phone)
        .where(feedback.c.member_id == member_id)
        .distinct()
    )
    return [(r.contact_name, r.contact_email, r.contact_phone) for r in rows]


async def save_text(session: AsyncSession, feedback_id: str, text: str) -> None:
    await session.execute(update(feedback).where(feedback.c.id == feedback_id).values(text=text))


async def anonymise_member(session: AsyncSession, member_id: str, at: datetime) -> int:
    """Remove a member's identity and contact details from their feedback, keeping the words.
    Returns how many pieces were anonymised."""
    done = await session.execute(
        update(feedback)
        .where(feedback.c.member_id == member_id)
        .values(member_id=None, source=None, contact_consent=False, anonymised_at=at, **dict.fromkeys(CONTACT))
    )
    return rows_changed(done)
