"""Reactions to other services' events, each in the transaction the kit's consumer gives (which
also records the event in the inbox): pop-up forums (meetings), community groups (signposting) and
erasure of members (membership)."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from feedback import domain, redaction
from feedback.records import PopUpForum
from feedback.store import erasure_queries, feedback_queries, other_services
from forum_shared import mail
from forum_shared.db import Database
from forum_shared.events.meetings import PopUpForumHeld
from forum_shared.events.membership import MemberErased
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn


async def note_pop_up_forum(session: AsyncSession, event: PopUpForumHeld) -> int:
    """Remember a pop-up forum, and link feedback already recorded against it to its host group.
    Returns how many pieces of feedback were linked now."""
    held = PopUpForum(event.pop_up_id, event.community_group_id, event.held_on, event.area)
    await other_services.keep_pop_up_forum(session, held)
    return await feedback_queries.link_to_pop_up_host(session, held.id, held.community_group_id, held.area)


async def note_community_group(
    session: AsyncSession, event: CommunityGroupRegistered | CommunityGroupUpdated, at: datetime
) -> None:
    """Know a community group's public name and areas, to trace its feedback in public."""
    await other_services.keep_community_group(session, event, at)


async def note_withdrawal(session: AsyncSession, event: CommunityGroupWithdrawn, at: datetime) -> None:
    """A group that left the directory is no longer named in public."""
    await other_services.keep_withdrawal(session, event, at)


async def forget_member(session: AsyncSession, event: MemberErased) -> int:
    """Remove an erased member's identity and contact details from their feedback, keeping the
    words; take their name, email address and phone number (as this service knew them, from
    their own feedback) out of every piece of free text it keeps, anyone's, replaced by
    "[removed]"; forget email to their addresses (`forum_shared.mail.forget`: unsent messages
    go, sent ones keep no address); and remember (as a hash) to anonymise anything of theirs that
    arrives later. Once it commits, the old versions leave the database's files too. Returns how
    many pieces of feedback were anonymised."""
    known = await feedback_queries.contact_details_of(session, event.member_id)
    for address in sorted({email.strip().lower() for _, email, _ in known if email}):
        await mail.forget(session, address)
    await other_services.remember_erasure(session, domain.member_hash(event.member_id), event.erased_at)
    anonymised = await feedback_queries.anonymise_member(session, event.member_id, datetime.now(UTC))
    if any(any(details) for details in known):

        def without_them(text: str) -> tuple[str, int]:
            removed = 0
            for name, email, phone in known:
                text, count = redaction.mask_person(text, name=name, email=email, phone=phone)
                removed += count
            return text, removed

        await erasure_queries.rewrite_words(session, without_them)
    Database.forget_after_commit(session)
    return anonymised
