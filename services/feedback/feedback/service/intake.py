"""Feedback comes in: from anyone (the form or the API, anonymously if they wish), from staff who
heard views at a pop-up forum or meeting or took down a group's view, or from a partner
organisation's program. Who recorded it decides what it may speak for: only staff and partners'
programs record a community group's view, and only of a group the directory lists. What comes in
may escalate by itself (`service.escalation.apply_escalation_rules`)."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, datetime
from typing import Any

from feedback import domain
from feedback.domain import Channel, FeedbackStatus, RecordedBy, Rules
from feedback.records import Feedback
from feedback.schemas import FeedbackCreate, PartnerFeedbackCreate, ViewsCreate
from feedback.service import Actor, emails
from feedback.service.escalation import apply_escalation_rules
from feedback.store import feedback_queries, other_services, theme_queries
from feedback.store.feedback_queries import CONTACT
from forum_shared.db import Database
from forum_shared.errors import Invalid, RuleBroken
from forum_shared.events.feedback import FeedbackReceived
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import Work, unit_of_work

# What a new piece of feedback starts with; each way in (public form, staff, partner) fills in
# what it knows.
BLANK: dict[str, Any] = {
    "source": None, "area": None, "themes": (), "tags": (), "polarity": None, "safeguarding_concern": False,
    "criticality": None, "member_id": None, **dict.fromkeys(CONTACT), "contact_consent": False,
    "pop_up_id": None, "meeting_id": None, "community_group_id": None, "partner_id": None,
    "entered_by": None, "status": FeedbackStatus.new,
}


def sender_of(actor: Actor) -> RecordedBy:
    """What someone sending feedback may speak for, from who they are."""
    return domain.recorded_by(actor.role if isinstance(actor, Principal) else None)


async def receive_feedback(db: Database, actor: Actor, data: FeedbackCreate, rules: Rules) -> Feedback:
    """Record feedback from anyone: a member of the public, or staff or a partner's program (who
    may also record a community group's view). A member of the public giving feedback is not
    audited (there is no one to account for)."""
    sender = sender_of(actor)
    values = data.model_dump()
    if sender == RecordedBy.partner and isinstance(actor, Principal):
        values.update(partner_id=actor.id, source=actor.name)
    async with unit_of_work(db, actor) as work:
        return await _record(work, values, rules, sender)


async def receive_views(
    db: Database, actor: Actor, data: ViewsCreate, rules: Rules, *, pop_up_id: str | None = None,
    meeting_id: str | None = None,
) -> list[Feedback]:
    """Staff record the views heard at one pop-up forum or meeting, linked to it."""
    channel = Channel.pop_up_forum if pop_up_id else Channel.meeting
    where = f"pop_up:{pop_up_id}" if pop_up_id else f"meeting:{meeting_id}"
    async with unit_of_work(db, actor, "feedback.views_recorded", where) as work:
        recorded = []
        for view in data.views:
            values = {
                **view.model_dump(),
                "channel": channel,
                "pop_up_id": pop_up_id,
                "meeting_id": meeting_id,
                "entered_by": data.entered_by,
            }
            recorded.append(await _record(work, values, rules, sender_of(actor)))
        work.audit("feedback.views_recorded", feedback_ids=[r.id for r in recorded])
        return recorded


async def receive_from_partner(db: Database, partner: Principal, data: PartnerFeedbackCreate, rules: Rules) -> Feedback:
    """Record feedback sent by a partner organisation's program (known by its API token)."""
    values = {**data.model_dump(), "channel": Channel.partner, "partner_id": partner.id, "source": partner.name}
    async with unit_of_work(db, partner) as work:
        return await _record(work, values, rules, RecordedBy.partner)


async def _record(work: Work, values: dict[str, Any], rules: Rules, sender: RecordedBy) -> Feedback:
    session = work.session
    now = datetime.now(UTC)
    given = {**BLANK, **values, "recorded_by": sender}
    named_group = given["community_group_id"]
    if named_group:
        domain.require_may_speak_for_a_group(sender)
    given["community_group_id"], given["area"], hosted = await _pop_up_host(
        work, given["pop_up_id"], named_group, given["area"]
    )
    if named_group and not hosted:
        await _require_listed(work, named_group)
    if given["member_id"] and await other_services.is_erased(session, domain.member_hash(given["member_id"])):
        # They asked to be forgotten: keep the words, not who said them.
        given.update(member_id=None, source=None, contact_consent=False, anonymised_at=now, **dict.fromkeys(CONTACT))
    links = {k: given[k] for k in ("community_group_id", "pop_up_id", "meeting_id", "partner_id")}
    item = Feedback(
        **{
            **given,
            "id": str(uuid.uuid4()),
            "received_at": now,
            "channel": Channel(given["channel"]),
            "themes": tuple(given["themes"]),
            "tags": tuple(given["tags"]),
            "source_kind": domain.source_kind(given["channel"], **links),
            "cluster_source": domain.cluster_source(sender, **links),
        }
    )
    await feedback_queries.add_feedback(session, item)
    if item.contact_email and item.contact_consent:  # no one to thank otherwise: no query needed
        await emails.acknowledge_feedback(work, item.id)
    # Only words from the managed list go on the bus: anything else is a person's own words.
    managed = await theme_queries.on_the_list(session, item.themes)
    await work.publish(
        FeedbackReceived(
            feedback_id=item.id,
            received_at=now,
            channel=item.channel,
            area=item.area,
            themes=[t for t in item.themes if t in managed],
            polarity=item.polarity,
            pop_up_id=item.pop_up_id,
            meeting_id=item.meeting_id,
            community_group_id=item.community_group_id,
            source_kind=item.source_kind,
        )
    )
    # What was written is the answer: nothing else changes the new row in this transaction.
    linked = await apply_escalation_rules(work, item, rules, now, new=True, managed=managed)
    return replace(item, escalation_ids=tuple(linked))


async def _pop_up_host(
    work: Work, pop_up_id: str | None, community_group_id: str | None, area: str | None
) -> tuple[str | None, str | None, bool]:
    """A pop-up forum the meetings service told us about names its host group and area (and
    vouches for that group: True). If it has not been heard of yet, the link is made when
    `PopUpForumHeld` arrives."""
    held = await other_services.pop_up_forum(work.session, pop_up_id) if pop_up_id else None
    if held is None:
        return community_group_id, area, False
    if community_group_id and community_group_id != held.community_group_id:
        raise Invalid(
            f"Pop-up forum {pop_up_id} was hosted by community group {held.community_group_id}, "
            f"not {community_group_id}: leave community_group_id out, or check the pop-up forum."
        )
    return held.community_group_id, area or held.area, True


async def _require_listed(work: Work, community_group_id: str) -> None:
    """A group's view is recorded only for a group the directory lists (a made-up group would
    look like one more voice agreeing)."""
    if await other_services.listed_group(work.session, community_group_id) is None:
        raise RuleBroken(
            f"The signposting directory does not list a community group with id {community_group_id} "
            "(or the group has left it), so its view cannot be recorded: check the id against "
            "GET /community-groups, or leave community_group_id out."
        )
