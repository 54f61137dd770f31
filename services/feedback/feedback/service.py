"""Use cases about feedback itself: receive, triage, close, read. Each runs in the caller's
transaction; escalation rules that feedback may set off live in `escalations`."""

from __future__ import annotations

import hashlib
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain, escalations, themes
from feedback.domain import Channel, Rules
from feedback.schemas import FeedbackCreate, FeedbackTriage, PartnerFeedbackCreate, ViewsCreate
from feedback.store import erased_members, escalation_feedback, feedback, load_feedback, pop_up_forums
from forum_shared import outbox
from forum_shared.errors import Conflict, Invalid
from forum_shared.events import FeedbackReceived, FeedbackTriaged
from forum_shared.ui import Principal

CONTACT = ("contact_name", "contact_email", "contact_phone")

# What a new piece of feedback starts with; each way in (public form, staff, partner) fills in
# what it knows.
BLANK: dict[str, Any] = {
    "source": None, "area": None, "themes": [], "tags": [], "polarity": None, "safeguarding_concern": False,
    "criticality": None, "member_id": None, **dict.fromkeys(CONTACT), "contact_consent": False,
    "pop_up_id": None, "meeting_id": None, "community_group_id": None, "partner_id": None,
    "entered_by": None, "status": domain.FeedbackStatus.new, "triaged_at": None, "closed_at": None,
    "anonymised_at": None,
}


def member_hash(member_id: str) -> str:
    """Erased members are remembered only as this, never by their id."""
    return hashlib.sha256(f"forum-member:{member_id}".encode()).hexdigest()


async def receive_feedback(session: AsyncSession, data: FeedbackCreate, rules: Rules) -> dict:
    """Record feedback from anyone: a member of the public, staff, or a group."""
    return await _record(session, data.model_dump(), rules)


async def receive_views(
    session: AsyncSession, data: ViewsCreate, rules: Rules, *, pop_up_id: str | None = None,
    meeting_id: str | None = None,
) -> list[dict]:
    """Staff record the views heard at one pop-up forum or meeting, linked to it."""
    channel = Channel.pop_up_forum if pop_up_id else Channel.meeting
    recorded = []
    for view in data.views:
        values = {
            **view.model_dump(),
            "channel": channel,
            "pop_up_id": pop_up_id,
            "meeting_id": meeting_id,
            "entered_by": data.entered_by,
        }
        recorded.append(await _record(session, values, rules))
    return recorded


async def receive_from_partner(
    session: AsyncSession, data: PartnerFeedbackCreate, partner: Principal, rules: Rules
) -> dict:
    """Record feedback sent by a partner organisation's system."""
    values = {**data.model_dump(), "channel": Channel.partner, "partner_id": partner.id, "source": partner.name}
    return await _record(session, values, rules)


async def _record(session: AsyncSession, values: dict[str, Any], rules: Rules) -> dict:
    now = datetime.now(UTC)
    row = {**BLANK, **values, "id": str(uuid.uuid4()), "received_at": now}
    await _link_to_pop_up(session, row)
    if row["member_id"] and await _is_erased(session, row["member_id"]):
        # They asked to be forgotten: keep the words, not who said them.
        row.update(member_id=None, source=None, contact_consent=False, anonymised_at=now, **dict.fromkeys(CONTACT))
    links = {k: row[k] for k in ("community_group_id", "pop_up_id", "meeting_id", "partner_id")}
    row["source_kind"] = domain.source_kind(row["channel"], **links)
    row["cluster_source"] = domain.cluster_source(**links)
    await session.execute(insert(feedback).values(**row))
    await outbox.record(
        session,
        FeedbackReceived(
            feedback_id=row["id"],
            received_at=now,
            channel=row["channel"],
            area=row["area"],
            themes=row["themes"],
            polarity=row["polarity"],
            pop_up_id=row["pop_up_id"],
            meeting_id=row["meeting_id"],
            community_group_id=row["community_group_id"],
            source_kind=row["source_kind"],
        ),
    )
    await _apply_escalation_rules(session, row, rules, now)
    return await get_feedback(session, row["id"])


async def _link_to_pop_up(session: AsyncSession, row: dict) -> None:
    """A pop-up forum the meetings service told us about names its host group and area. If it
    has not been heard of yet, the link is made when `PopUpForumHeld` arrives."""
    if not row["pop_up_id"]:
        return
    held = (await session.execute(select(pop_up_forums).where(pop_up_forums.c.id == row["pop_up_id"]))).first()
    if held is None:
        return
    if row["community_group_id"] and row["community_group_id"] != held.community_group_id:
        raise Invalid(
            f"Pop-up forum {row['pop_up_id']} was hosted by community group {held.community_group_id}, "
            f"not {row['community_group_id']}: leave community_group_id out, or check the pop-up forum."
        )
    row["community_group_id"] = held.community_group_id
    row["area"] = row["area"] or held.area


async def _is_erased(session: AsyncSession, member_id: str) -> bool:
    found = await session.scalar(
        select(erased_members.c.member_hash).where(erased_members.c.member_hash == member_hash(member_id))
    )
    return found is not None


async def _apply_escalation_rules(session: AsyncSession, item: dict, rules: Rules, now: datetime) -> None:
    route = domain.automatic_route(
        safeguarding_concern=item["safeguarding_concern"],
        criticality=item["criticality"],
        threshold=rules.escalate_at_criticality,
    )
    if route:
        await escalations.escalate_automatically(session, item, route, rules)
    await escalations.join_theme_clusters(session, item, rules, now)


async def triage(session: AsyncSession, feedback_id: str, data: FeedbackTriage, rules: Rules) -> dict:
    """Staff set themes (from the managed list), tags, area and a staff-only criticality."""
    item = await load_feedback(session, feedback_id)
    try:
        status = domain.status_after_triage(item["status"])
    except domain.RuleBroken as exc:
        raise Conflict(str(exc)) from exc
    await themes.require_managed(session, data.themes)
    now = datetime.now(UTC)
    changes = {k: v for k, v in data.model_dump().items() if k in data.model_fields_set}
    changes.update(status=status, triaged_at=now)
    await session.execute(update(feedback).where(feedback.c.id == feedback_id).values(**changes))
    item.update(changes)
    await outbox.record(
        session,
        FeedbackTriaged(
            feedback_id=feedback_id, themes=item["themes"], area=item["area"], status=status, triaged_at=now
        ),
    )
    await _apply_escalation_rules(session, item, rules, now)
    return await get_feedback(session, feedback_id)


async def close(session: AsyncSession, feedback_id: str) -> dict:
    """Staff close feedback that needs nothing more."""
    item = await load_feedback(session, feedback_id)
    try:
        status = domain.status_after_closing(item["status"])
    except domain.RuleBroken as exc:
        raise Conflict(str(exc)) from exc
    await session.execute(
        update(feedback).where(feedback.c.id == feedback_id).values(status=status, closed_at=datetime.now(UTC))
    )
    return await get_feedback(session, feedback_id)


async def get_feedback(session: AsyncSession, feedback_id: str) -> dict:
    item = await load_feedback(session, feedback_id)
    item["escalation_ids"] = list(
        await session.scalars(
            select(escalation_feedback.c.escalation_id).where(escalation_feedback.c.feedback_id == feedback_id)
        )
    )
    return item


async def list_feedback(
    session: AsyncSession, *, status: str | None, theme: str | None, area: str | None, limit: int, offset: int
) -> list[dict]:
    """Feedback for staff, newest first, optionally of one status, theme or area."""
    query = select(feedback).order_by(feedback.c.received_at.desc(), feedback.c.id)
    if status:
        query = query.where(feedback.c.status == status)
    if area:
        query = query.where(feedback.c.area == area)
    if not theme:
        query = query.offset(offset).limit(limit)
    rows = [dict(r._mapping) for r in (await session.execute(query)).all()]
    if theme:
        # Themes are a JSON list; filtering here keeps one query for SQLite and PostgreSQL alike.
        wanted = domain.normalise_theme(theme)
        rows = [r for r in rows if wanted in r["themes"]][offset : offset + limit]
    links = (
        await session.execute(
            select(escalation_feedback).where(escalation_feedback.c.feedback_id.in_([r["id"] for r in rows]))
        )
    ).all()
    for r in rows:
        r["escalation_ids"] = [link.escalation_id for link in links if link.feedback_id == r["id"]]
    return rows


async def count_feedback(session: AsyncSession, *, status: str | None, theme: str | None, area: str | None) -> int:
    """How many pieces of feedback `list_feedback` would give with these filters, for paging."""
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


async def find_by_reference(session: AsyncSession, reference: str) -> str | None:
    """The id of the feedback whose short reference (the first 8 characters of its id, as the
    person was shown) is `reference`, if exactly one has it."""
    if len(reference) != 8 or not all(c in "0123456789ABCDEF" for c in reference):
        return None
    found = (await session.scalars(select(feedback.c.id).where(feedback.c.id.like(f"{reference.lower()}%")).limit(2))).all()
    return found[0] if len(found) == 1 else None
