"""Raising escalations to governors: by staff, by a safeguarding flag or top criticality, and by
a theme raised from several distinct sources (joining up scattered voices). Also how they read."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import insert, select, text
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain, themes
from feedback.domain import EscalationStatus, RaisedBy, Rules
from feedback.escalation_schemas import EscalationCreate
from feedback.store import escalation_feedback, escalations, feedback, linked_feedback_ids, load_escalation, load_feedback
from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid
from forum_shared.events import FeedbackLinkedToEscalation, IssueEscalated


async def escalate_by_staff(
    session: AsyncSession, feedback_ids: list[str], data: EscalationCreate, rules: Rules
) -> dict:
    """Staff escalate one or more pieces of feedback to governors, with a summary and reason."""
    items = [await load_feedback(session, fid) for fid in dict.fromkeys(feedback_ids)]
    return await _raise(session, items, summary=data.summary, reason=data.reason, raised_by=RaisedBy.staff, rules=rules)


async def escalate_automatically(session: AsyncSession, item: dict, route: RaisedBy, rules: Rules) -> dict | None:
    """Safeguarding concerns and the highest criticality reach governors without waiting for anyone;
    once per piece of feedback, however often it is triaged again."""
    already = await session.scalar(
        select(escalations.c.id)
        .join(escalation_feedback, escalation_feedback.c.escalation_id == escalations.c.id)
        .where(
            escalation_feedback.c.feedback_id == item["id"],
            escalations.c.raised_by.in_([RaisedBy.safeguarding, RaisedBy.criticality]),
        )
        .limit(1)
    )
    if already:
        return None
    about = f" about {', '.join(item['themes'])}" if item["themes"] else ""
    where = f" in {item['area']}" if item["area"] else ""
    if route == RaisedBy.safeguarding:
        summary = f"Safeguarding concern raised in feedback{about}{where}"
        reason = "The feedback was flagged as a safeguarding concern: someone may be at risk."
    else:
        summary = f"Feedback rated most critical by staff{about}{where}"
        reason = f"Staff triage rated it {item['criticality']} on a scale of 1 to 5."
    return await _raise(session, [item], summary=summary, reason=reason, raised_by=route, rules=rules)


async def join_theme_clusters(session: AsyncSession, item: dict, rules: Rules, now: datetime) -> None:
    """For each theme of `item`: join the open cluster escalation on that theme if there is one,
    else raise one if enough distinct sources raised the theme within the window."""
    if not item["cluster_source"] or item["status"] == domain.FeedbackStatus.closed:
        return
    # Only themes on the managed list cluster: free words from a form cannot set governors' agenda.
    managed = await themes.active_names(session)
    for theme in sorted(t for t in item["themes"] if t in managed):
        await _lock_cluster(session, theme)
        open_id = await session.scalar(
            select(escalations.c.id).where(
                escalations.c.cluster_theme == theme, escalations.c.status.in_(domain.OPEN)
            )
        )
        if open_id:
            await link_feedback(session, open_id, [item["id"]], quiet_if_linked=True)
            continue
        voices = await _unclustered_voices(session, theme, since=now - timedelta(days=rules.cluster_window_days))
        cluster = domain.theme_cluster(
            voices, theme, now=now, window_days=rules.cluster_window_days, min_sources=rules.cluster_min_sources
        )
        if cluster:
            items = [await load_feedback(session, v.feedback_id) for v in cluster]
            count = domain.distinct_sources(v.source for v in cluster)
            await _raise(
                session,
                items,
                summary=f"“{theme}” raised from {count} different sources within {rules.cluster_window_days} days",
                reason=(
                    f"Theme cluster: {count} distinct sources (community groups, pop-up forums, meetings "
                    f"or partner organisations) raised “{theme}” within {rules.cluster_window_days} days; "
                    f"the forum escalates at {rules.cluster_min_sources}."
                ),
                raised_by=RaisedBy.theme_cluster,
                rules=rules,
                cluster_theme=theme,
                themes=[theme],
            )


async def _lock_cluster(session: AsyncSession, theme: str) -> None:
    # Two replicas receiving feedback on one theme at once must not both raise a cluster
    # escalation: on PostgreSQL they queue on a per-theme lock held until commit. SQLite already
    # lets one writer in at a time.
    if (await session.connection()).dialect.name == "postgresql":
        key = int.from_bytes(hashlib.sha256(f"cluster:{theme}".encode()).digest()[:8], "big", signed=True)
        await session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": key})


async def _unclustered_voices(session: AsyncSession, theme: str, since: datetime) -> list[domain.Voice]:
    """Feedback on `theme` since `since` not already joined into a cluster on it (a resolved
    cluster's voices do not count again)."""
    clustered = (
        select(escalation_feedback.c.feedback_id)
        .join(escalations, escalations.c.id == escalation_feedback.c.escalation_id)
        .where(escalations.c.cluster_theme == theme)
    )
    rows = await session.execute(
        select(feedback.c.id, feedback.c.cluster_source, feedback.c.themes, feedback.c.received_at).where(
            feedback.c.received_at >= since,
            feedback.c.cluster_source.is_not(None),
            feedback.c.status != domain.FeedbackStatus.closed,
            feedback.c.id.not_in(clustered),
        )
    )
    return [
        domain.Voice(r.id, r.cluster_source, tuple(r.themes), r.received_at) for r in rows if theme in r.themes
    ]


async def _raise(
    session: AsyncSession, items: list[dict], *, summary: str, reason: str, raised_by: RaisedBy,
    rules: Rules, cluster_theme: str | None = None, themes: list[str] | None = None,
) -> dict:
    now = datetime.now(UTC)
    row = {
        "id": str(uuid.uuid4()),
        "summary": summary,
        "reason": reason,
        "raised_by": raised_by,
        "themes": themes if themes is not None else sorted({t for i in items for t in i["themes"]}),
        "area": domain.common_area(i["area"] for i in items),
        "cluster_theme": cluster_theme,
        "status": EscalationStatus.raised,
        "respond_by": rules.respond_by(now),
        "raised_at": now,
    }
    await session.execute(insert(escalations).values(**row))
    ids = [i["id"] for i in items]
    await session.execute(
        insert(escalation_feedback), [{"escalation_id": row["id"], "feedback_id": fid, "linked_at": now} for fid in ids]
    )
    await outbox.record(
        session,
        IssueEscalated(
            escalation_id=row["id"],
            summary=summary,
            reason=reason,
            raised_by=raised_by,
            themes=row["themes"],
            area=row["area"],
            feedback_ids=ids,
            respond_by=row["respond_by"],
            raised_at=now,
            linked_feedback_count=len(ids),
            source_count=domain.distinct_sources(i["cluster_source"] for i in items),
        ),
    )
    return await escalation_view(session, row["id"], rules.local_date(now))


async def link_feedback(
    session: AsyncSession, escalation_id: str, feedback_ids: list[str], *, quiet_if_linked: bool = False
) -> list[str]:
    """More feedback joins an open escalation; returns the ids that were newly linked."""
    esc = await load_escalation(session, escalation_id)
    if esc["status"] == EscalationStatus.resolved:
        raise Conflict("This escalation is resolved; escalate the new feedback on its own instead.")
    linked = set(await linked_feedback_ids(session, escalation_id))
    new = [fid for fid in dict.fromkeys(feedback_ids) if fid not in linked]
    if not new:
        if quiet_if_linked:
            return []
        raise Invalid("That feedback is already linked to this escalation.")
    for fid in new:
        await load_feedback(session, fid)
    now = datetime.now(UTC)
    await session.execute(
        insert(escalation_feedback), [{"escalation_id": escalation_id, "feedback_id": fid, "linked_at": now} for fid in new]
    )
    all_ids = [*linked, *new]
    sources = await session.scalars(select(feedback.c.cluster_source).where(feedback.c.id.in_(all_ids)))
    await outbox.record(
        session,
        FeedbackLinkedToEscalation(
            escalation_id=escalation_id,
            feedback_ids=new,
            linked_feedback_count=len(all_ids),
            source_count=domain.distinct_sources(sources),
            linked_at=now,
        ),
    )
    return new


# -- how escalations read -----------------------------------------------------------------
async def escalation_view(session: AsyncSession, escalation_id: str, today: date) -> dict:
    return (await _views(session, [await load_escalation(session, escalation_id)], today))[0]


async def list_escalations(session: AsyncSession, today: date, status: str | None = None) -> list[dict]:
    """Escalations, newest first; `status` is a state, or 'open' or 'overdue'."""
    query = select(escalations).order_by(escalations.c.raised_at.desc(), escalations.c.id)
    if status == "open":
        query = query.where(escalations.c.status.in_(domain.OPEN))
    elif status == "overdue":
        query = query.where(escalations.c.status.in_(domain.AWAITING_RESPONSE), escalations.c.respond_by < today)
    elif status:
        query = query.where(escalations.c.status == status)
    rows = [dict(r._mapping) for r in (await session.execute(query)).all()]
    return await _views(session, rows, today)


async def _views(session: AsyncSession, rows: list[dict], today: date) -> list[dict]:
    links = (
        await session.execute(
            select(escalation_feedback.c.escalation_id, escalation_feedback.c.feedback_id, feedback.c.cluster_source)
            .join(feedback, feedback.c.id == escalation_feedback.c.feedback_id)
            .where(escalation_feedback.c.escalation_id.in_([r["id"] for r in rows]))
            .order_by(escalation_feedback.c.linked_at, escalation_feedback.c.feedback_id)
        )
    ).all()
    for row in rows:
        mine = [link for link in links if link.escalation_id == row["id"]]
        row["feedback_ids"] = [link.feedback_id for link in mine]
        row["linked_feedback_count"] = len(mine)
        row["source_count"] = domain.distinct_sources(link.cluster_source for link in mine)
        row["overdue"] = domain.is_overdue(row["status"], row["respond_by"], today)
    return rows
