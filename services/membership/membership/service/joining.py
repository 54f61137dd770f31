"""Joining the forum: the one way in, for the public join page and the JSON API alike."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from forum_shared.db import Database
from forum_shared.errors import Conflict
from forum_shared.events import MemberJoined
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.records import Member
from membership.schemas import MemberCreate
from membership.service.interest import express_interest
from membership.service.members import answers_given, existing_member
from membership.store import member_queries

ALREADY_A_MEMBER = (
    "You are already a member with this email address — welcome back! Nothing has been changed."
)


async def join(
    db: Database,
    actor: Principal | str,
    data: MemberCreate,
    *,
    interested_in: Sequence[str] = (),
    note: str = "",
) -> Member:
    """Anyone may join with just a name, and may say at once which roles interest them (they are
    then offered a chat). A repeated join with the same email changes nothing, and neither does
    interest in a role that has closed: nobody is left half joined.

    `actor` is "anonymous" for a member of the public; when someone signed in joins a person on
    their behalf (staff, or a partner's program), the joining is audited.
    """
    async with unit_of_work(db, actor) as work:
        if data.email and await member_queries.email_in_use(work.session, data.email):
            raise Conflict(ALREADY_A_MEMBER)
        domain.require_contact(data.preferred_channel, data.email, data.phone, data.postal_address)
        member_id, now = str(uuid.uuid4()), datetime.now(UTC)
        details = data.model_dump(mode="json", exclude={"consents"})
        try:
            await member_queries.add_member(work.session, member_id, details, now)
        except IntegrityError as exc:  # the same email joined at the same moment
            raise Conflict(ALREADY_A_MEMBER) from exc
        await member_queries.add_consents(work.session, member_id, answers_given(data.consents, now))
        # Other services learn only the district (PE13, never PE13 1AB): the minimum they need.
        area = domain.area_label(data.area) if data.area else None
        await work.publish(MemberJoined(member_id=member_id, joined_at=now, area=area))
        for role_id in interested_in:
            await express_interest(work.session, role_id, member_id, note, would_like_a_chat=True)
        if isinstance(actor, Principal):
            work.audit("member.joined", f"member:{member_id}")
        return await existing_member(work.session, member_id)
