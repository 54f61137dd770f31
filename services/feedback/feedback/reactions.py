"""What the feedback service keeps from other services' events: pop-up forums (meetings) and
erasure of members (membership); community groups (signposting) are kept by
`forum_shared.community_groups`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain
from feedback.service import CONTACT, member_hash
from feedback.store import erased_members, feedback, pop_up_forums
from forum_shared.events import MemberErased, PopUpForumHeld


async def note_pop_up_forum(session: AsyncSession, event: PopUpForumHeld) -> int:
    """Remember a pop-up forum, and link feedback already recorded against it to its host group.
    Returns how many pieces of feedback were linked now."""
    values = {"community_group_id": event.community_group_id, "held_on": event.held_on, "area": event.area}
    known = await session.scalar(select(pop_up_forums.c.id).where(pop_up_forums.c.id == event.pop_up_id))
    if known:
        await session.execute(update(pop_up_forums).where(pop_up_forums.c.id == event.pop_up_id).values(**values))
    else:
        await session.execute(insert(pop_up_forums).values(id=event.pop_up_id, **values))
    linked = await session.execute(
        update(feedback)
        .where(feedback.c.pop_up_id == event.pop_up_id, feedback.c.community_group_id.is_(None))
        .values(
            community_group_id=event.community_group_id,
            cluster_source=domain.cluster_source(
                community_group_id=event.community_group_id, pop_up_id=event.pop_up_id, meeting_id=None, partner_id=None
            ),
            area=func.coalesce(feedback.c.area, event.area),
        )
    )
    return linked.rowcount


async def forget_member(session: AsyncSession, event: MemberErased) -> int:
    """Remove an erased member's identity and contact details from their feedback, keeping the
    anonymised words. Returns how many pieces of feedback were anonymised."""
    hashed = member_hash(event.member_id)
    if not await session.scalar(select(erased_members.c.member_hash).where(erased_members.c.member_hash == hashed)):
        await session.execute(insert(erased_members).values(member_hash=hashed, erased_at=event.erased_at))
    done = await session.execute(
        update(feedback)
        .where(feedback.c.member_id == event.member_id)
        .values(
            member_id=None,
            source=None,
            contact_consent=False,
            anonymised_at=datetime.now(UTC),
            **dict.fromkeys(CONTACT),
        )
    )
    return done.rowcount
