"""Raising escalations to governors: by staff, by a safeguarding flag or top criticality, and by a
theme raised as a concern by several distinct verified sources within a short time (joining up
scattered voices; praise and claims nobody vouched for never count). More feedback may join an open
escalation. Also how escalations read.

Every escalation keeps three kinds of words apart: its `summary` goes on the public agenda of the
next forum meeting, its `reason` is the route's reasoning (both go out in `IssueEscalated`), and
the staff's notes for governors stay in this service."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, date, datetime, timedelta

from feedback import bank_holidays, domain
from feedback.domain import EscalationStatus, FeedbackStatus, RaisedBy, Rules
from feedback.records import Escalation, Feedback
from feedback.schemas import EscalationCreate, EscalationOfMany
from feedback.service import Actor, emails
from feedback.store import escalation_queries, feedback_queries, theme_queries
from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.events.feedback import FeedbackLinkedToEscalation, IssueEscalated
from forum_shared.unit_of_work import Work, unit_of_work


async def escalate(
    db: Database, actor: Actor, feedback_ids: Sequence[str], data: EscalationCreate, rules: Rules
) -> Escalation:
    """Staff escalate one or more pieces of feedback to governors, with a summary for the public
    agenda and notes for governors only."""
    async with unit_of_work(db, actor) as work:
        items = [await feedback_queries.load_feedback(work.session, fid) for fid in dict.fromkeys(feedback_ids)]
        raised = await _raise(
            work, items, summary=data.summary, reason=domain.RAISED_BY_STAFF,
            notes_for_governors=data.notes_for_governors, raised_by=RaisedBy.staff, rules=rules,
        )
        work.audit("escalation.raised", f"escalation:{raised.id}", feedback_ids=list(raised.feedback_ids))
        return raised


async def escalate_many(db: Database, actor: Actor, data: EscalationOfMany, rules: Rules) -> Escalation:
    """Staff escalate several pieces of feedback to governors as one issue."""
    return await escalate(db, actor, data.feedback_ids, data, rules)


async def link_feedback(
    db: Database, actor: Actor, escalation_id: str, feedback_ids: Sequence[str], today: date
) -> Escalation:
    """Staff link more feedback to an escalation that is still open."""
    async with unit_of_work(db, actor, "escalation.feedback_linked", f"escalation:{escalation_id}") as work:
        new = await _link(work, escalation_id, feedback_ids)
        work.audit("escalation.feedback_linked", feedback_ids=new)
        return await escalation_queries.load_escalation(work.session, escalation_id, today)


async def get_escalation(db: Database, escalation_id: str, today: date) -> Escalation:
    async with db.read() as session:
        return await escalation_queries.load_escalation(session, escalation_id, today)


async def list_escalations(db: Database, today: date, status: str | None = None) -> list[Escalation]:
    """Newest first; `status` is a state, or 'open' or 'overdue' (as of `today`)."""
    async with db.read() as session:
        return await escalation_queries.list_escalations(session, today, status)


# -- what feedback sets off, in the unit of work that recorded or triaged it -------------------
async def apply_escalation_rules(
    work: Work, item: Feedback, rules: Rules, now: datetime, *, new: bool = False, managed: set[str] | None = None
) -> list[str]:
    """Escalate `item` by itself if someone may be at risk or staff rated it most critical, and
    join it to (or make) a theme cluster if it is a concern. Returns the escalations `item` was
    linked to here, in the order they were. `new`: it was recorded in this unit of work (so
    nothing has escalated it yet); `managed`: those of its themes on the theme list, if the caller
    has asked already."""
    route = domain.automatic_route(
        safeguarding_concern=item.safeguarding_concern,
        criticality=item.criticality,
        threshold=rules.escalate_at_criticality,
    )
    linked = []
    if route and (raised := await _escalate_automatically(work, item, route, rules, new=new, managed=managed)):
        linked.append(raised)
    return linked + await _join_theme_clusters(work, item, rules, now)


async def _escalate_automatically(
    work: Work, item: Feedback, route: RaisedBy, rules: Rules, *, new: bool, managed: set[str] | None
) -> str | None:
    """Safeguarding concerns and the highest criticality reach governors without waiting for
    anyone; once per piece of feedback, however often it is triaged again. Returns the
    escalation raised, if it was."""
    if not new and await escalation_queries.automatic_escalation_of(work.session, item.id):
        return None
    about = f" about {', '.join(item.themes)}" if item.themes else ""
    where = f" in {item.area}" if item.area else ""
    if route == RaisedBy.safeguarding:
        summary = f"Safeguarding concern raised in feedback{about}{where}"
    else:
        summary = f"Feedback rated most critical by staff{about}{where}"
    reason = domain.automatic_reason(route, item.criticality, rules.escalate_at_criticality)
    return (await _raise(work, [item], summary=summary, reason=reason, raised_by=route, rules=rules,
                         managed=managed)).id


async def _join_theme_clusters(work: Work, item: Feedback, rules: Rules, now: datetime) -> list[str]:
    """For each theme of `item`: join the open cluster escalation on that theme if there is one,
    else raise one if enough distinct sources raised the theme as a concern within the window.
    Praise, and feedback whose polarity nobody has said yet, neither joins nor raises one.
    Returns the escalations `item` joined or was raised in."""
    if not item.cluster_source or item.status == FeedbackStatus.closed:
        return []
    if not domain.counts_toward_escalation(item.polarity):
        return []
    session = work.session
    linked = []
    # Only themes on the managed list cluster: free words from a form cannot set governors' agenda.
    managed = await theme_queries.active_names(session)
    for theme in sorted(t for t in item.themes if t in managed):
        await escalation_queries.lock_cluster(session, theme)
        open_id = await escalation_queries.open_cluster_escalation(session, theme)
        if open_id:
            if await _link(work, open_id, [item.id], quiet_if_linked=True):
                linked.append(open_id)
            continue
        since = now - timedelta(days=rules.cluster_window_days)
        voices = await feedback_queries.unclustered_voices(session, theme, since)
        cluster = domain.theme_cluster(
            voices, theme, now=now, window_days=rules.cluster_window_days, min_sources=rules.cluster_min_sources
        )
        if cluster:
            items = [await feedback_queries.load_feedback(session, v.feedback_id) for v in cluster]
            sources = [v.source for v in cluster]
            raised = await _raise(
                work,
                items,
                summary=domain.cluster_summary(theme, sources, rules.cluster_window_days),
                reason=domain.cluster_reason(
                    theme, sources, window_days=rules.cluster_window_days, min_sources=rules.cluster_min_sources
                ),
                raised_by=RaisedBy.theme_cluster,
                rules=rules,
                cluster_theme=theme,
                themes=[theme],
            )
            if item.id in raised.feedback_ids:
                linked.append(raised.id)
    return linked


async def _raise(
    work: Work, items: Sequence[Feedback], *, summary: str, reason: str, raised_by: RaisedBy, rules: Rules,
    notes_for_governors: str | None = None, cluster_theme: str | None = None, themes: Sequence[str] | None = None,
    managed: set[str] | None = None,
) -> Escalation:
    now = datetime.now(UTC)
    escalation_id = str(uuid.uuid4())
    if themes is None:
        # Themes from the managed list only: they go on the bus, and free words are a person's own.
        managed = managed if managed is not None else await theme_queries.every_name(work.session)
        themes = sorted({t for i in items for t in i.themes if t in managed})
    chosen = list(themes)
    area = domain.common_area(i.area for i in items)
    respond_by = rules.respond_by(now, bank_holidays.in_england)
    ids = [i.id for i in items]
    await escalation_queries.add_escalation(
        work.session, escalation_id=escalation_id, summary=summary, reason=reason,
        notes_for_governors=notes_for_governors, raised_by=raised_by, themes=chosen, area=area,
        cluster_theme=cluster_theme, respond_by=respond_by, raised_at=now, feedback_ids=ids,
    )
    await work.publish(
        IssueEscalated(
            escalation_id=escalation_id,
            summary=summary,
            reason=reason,
            raised_by=raised_by,
            themes=chosen,
            area=area,
            feedback_ids=ids,
            respond_by=respond_by,
            raised_at=now,
            linked_feedback_count=len(ids),
            source_count=domain.distinct_sources(i.cluster_source for i in items),
        )
    )
    # What was written is the escalation: nothing else changes it in this unit of work. Its
    # feedback reads in the order it was linked, all at once here, so by id.
    raised = Escalation(
        id=escalation_id, summary=summary, reason=reason, notes_for_governors=notes_for_governors,
        raised_by=raised_by, themes=tuple(chosen), area=area, cluster_theme=cluster_theme,
        status=EscalationStatus.raised, respond_by=respond_by, raised_at=now, acknowledged_by=None,
        acknowledged_by_id=None, acknowledged_at=None, responded_at=None, resolved_at=None, overdue_at=None,
        feedback_ids=tuple(sorted(ids)), source_count=domain.distinct_sources(i.cluster_source for i in items),
        overdue=domain.is_overdue(EscalationStatus.raised, respond_by, rules.local_date(now)),
    )
    await emails.tell_governors_raised(work, raised)
    return raised


async def _link(
    work: Work, escalation_id: str, feedback_ids: Sequence[str], *, quiet_if_linked: bool = False
) -> list[str]:
    """More feedback joins an open escalation; returns the ids that were newly linked."""
    session = work.session
    state = await escalation_queries.load_state(session, escalation_id)
    domain.require_open_to_more_feedback(state.status)
    linked = await escalation_queries.linked_feedback_ids(session, escalation_id)
    new = [fid for fid in dict.fromkeys(feedback_ids) if fid not in linked]
    if not new:
        if quiet_if_linked:
            return []
        raise Invalid("That feedback is already linked to this escalation.")
    for fid in new:
        await feedback_queries.load_feedback(session, fid)
    now = datetime.now(UTC)
    await escalation_queries.link_feedback(session, escalation_id, new, now)
    all_ids = [*linked, *new]
    await work.publish(
        FeedbackLinkedToEscalation(
            escalation_id=escalation_id,
            feedback_ids=new,
            linked_feedback_count=len(all_ids),
            source_count=domain.distinct_sources(await feedback_queries.cluster_sources_of(session, all_ids)),
            linked_at=now,
        )
    )
    return new
