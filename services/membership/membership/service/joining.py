"""Joining the forum: the one way in, for the public join page and the JSON API alike.

Whether an email address belongs to a member is personal: only staff are told. Anyone else who
joins with an email that is already known gets exactly the answer a new member gets, nothing is
made twice, and the attempt is noted in the audit log for staff (by the member's id, never the
email), so they can follow it up.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

from sqlalchemy.exc import IntegrityError

from forum_shared.db import Database
from forum_shared.errors import Conflict
from forum_shared.events import MemberJoined
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import Work, unit_of_work
from membership import domain
from membership.records import Member
from membership.schemas import MemberCreate
from membership.service import emails
from membership.service.interest import express_interest, role_taking_interest
from membership.service.members import answers_given, existing_member
from membership.store import member_queries

ALREADY_A_MEMBER = "There is already a member with this email address. Nothing has been changed."


def told_who_is_a_member(actor: Principal | str) -> bool:
    """Staff (and administrators) may be told that an email address is already a member's."""
    return isinstance(actor, Principal) and actor.has_role("staff", "admin")


async def join(
    db: Database,
    actor: Principal | str,
    data: MemberCreate,
    *,
    interested_in: Sequence[str] = (),
    note: str = "",
) -> Member | None:
    """Anyone may join with just a name, and may say at once which roles interest them (they are
    then offered a chat). Interest in a role that has closed changes nothing: nobody is left half
    joined. The new member, or None when the email was already a member's and the caller is not
    staff: nothing was made, and the caller answers exactly as for a new member. Staff are told
    instead (`Conflict`).

    Every refusal that does not depend on the email comes first, so a refusal never tells whether
    the email is known. `actor` is "anonymous" for a member of the public; when someone signed in
    joins a person on their behalf (staff, or a partner's program), the joining is audited.
    """
    roles = list(dict.fromkeys(interested_in))
    domain.require_contact(data.preferred_channel, data.email, data.phone, data.postal_address)
    try:
        async with unit_of_work(db, actor) as work:
            titles = [(await role_taking_interest(work.session, role_id)).title for role_id in roles]
            known = await member_queries.member_id_with_email(work.session, data.email) if data.email else None
            if known:
                _already_a_member(work, known, roles)
                return None
            return await _add_member(work, data, roles, titles, note)
    except IntegrityError:  # the same email joined at the same moment, by another request
        if told_who_is_a_member(actor):
            raise Conflict(ALREADY_A_MEMBER) from None
    async with unit_of_work(db, actor) as work:
        known = await member_queries.member_id_with_email(work.session, data.email) if data.email else None
        if known:
            _already_a_member(work, known, roles)
    return None


def _already_a_member(work: Work, member_id: str, roles: list[str]) -> None:
    if told_who_is_a_member(work.actor):
        raise Conflict(ALREADY_A_MEMBER)
    work.audit("member.joined_again", f"member:{member_id}", **({"interested_in": roles} if roles else {}))


async def _add_member(work: Work, data: MemberCreate, roles: list[str], titles: list[str], note: str) -> Member:
    member_id, now = str(uuid.uuid4()), datetime.now(UTC)
    details = data.model_dump(mode="json", exclude={"consents"})
    await member_queries.add_member(work.session, member_id, details, now)
    await member_queries.add_consents(work.session, member_id, answers_given(data.consents, now))
    # Other services learn only the district (PE13, never PE13 1AB): the minimum they need.
    area = domain.area_label(data.area) if data.area else None
    await work.publish(MemberJoined(member_id=member_id, joined_at=now, area=area))
    for role_id in roles:
        await express_interest(work.session, role_id, member_id, note, would_like_a_chat=True)
    if isinstance(work.actor, Principal):
        work.audit("member.joined", f"member:{member_id}")
    member = await existing_member(work.session, member_id)
    await emails.welcome(work, member, titles)
    return member
