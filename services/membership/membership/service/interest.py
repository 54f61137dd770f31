"""Expressions of interest in involvement roles: a member says they are interested, with a short
note if they like, and staff arrange an informal chat. There is never an interview."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Conflict, NotFound
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.records import Interest, InvolvementRole
from membership.schemas import ChatArrange, InterestCreate
from membership.service import emails
from membership.service.members import active_member, existing_member
from membership.service.roles import existing_role
from membership.store import interest_queries, role_queries


async def existing_interest(session: AsyncSession, interest_id: str) -> Interest:
    interest = await interest_queries.get_interest(session, interest_id)
    if interest is None:
        raise NotFound(f"There is no expression of interest with id {interest_id}.")
    return interest


async def role_taking_interest(session: AsyncSession, role_id: str) -> InvolvementRole:
    """The role, if it exists and still takes expressions of interest."""
    return _taking_interest(await existing_role(session, role_id))


def _taking_interest(role: InvolvementRole) -> InvolvementRole:
    if not role.open:
        raise Conflict(f"Interest in '{role.title}' closed on {role.closing_date:%d %B %Y}.")
    return role


async def express_interest(
    session: AsyncSession, role_id: str, member_id: str, note: str, *, would_like_a_chat: bool
) -> str:
    """Note a current member's interest in a role that is still open, once; its id. Runs in the
    caller's transaction (noting interest, or joining the forum)."""
    role = await existing_role(session, role_id)
    member = await active_member(session, member_id)
    _taking_interest(role)
    if await interest_queries.interested(session, role_id, member_id):
        raise Conflict(
            f"Thank you, {member.display_name} — your interest in '{role.title}' is already noted. "
            "Nothing has been changed."
        )
    interest_id = str(uuid.uuid4())
    await interest_queries.add_interest(
        session, interest_id, role_id, member_id, note.strip(), would_like_a_chat, datetime.now(UTC)
    )
    return interest_id


async def note_interest(db: Database, actor: Principal | str, role_id: str, data: InterestCreate) -> Interest:
    """Staff note a member's interest in a role, or a signed-in member says it themselves
    (`actor` is then "member:<id>")."""
    async with unit_of_work(db, actor) as work:
        interest_id = await express_interest(
            work.session, role_id, data.member_id, data.note, would_like_a_chat=data.would_like_a_chat
        )
        work.audit("interest.noted", f"interest:{interest_id}", role_id=role_id, member_id=data.member_id)
        return await existing_interest(work.session, interest_id)


async def arrange_chat(db: Database, actor: Principal, interest_id: str, data: ChatArrange) -> Interest:
    """Staff arrange an informal chat with an interested member (never an interview); the member
    hears of it by email if they agreed to hear about involvement roles."""
    async with unit_of_work(db, actor, "interest.chat_arranged", f"interest:{interest_id}") as work:
        interest = await existing_interest(work.session, interest_id)
        await interest_queries.arrange_chat(work.session, interest_id, data.chat_on, data.note)
        member = await existing_member(work.session, interest.member_id)
        await emails.interest_answered(work, member, interest.role_title, data.chat_on, data.note)
        return await existing_interest(work.session, interest_id)


async def interests_in_role(db: Database, role_id: str) -> list[Interest]:
    """Members interested in a role, first come first."""
    async with db.read() as session:
        await existing_role(session, role_id)
        return await interest_queries.interests_in_role(session, role_id)


async def interests_by_role(db: Database) -> list[tuple[InvolvementRole, list[Interest]]]:
    """Every role, oldest first, with the members interested in it."""
    async with db.read() as session:
        every_role = await role_queries.list_roles(session, domain.today())
        every_interest = await interest_queries.find_interests(session)
    return [(role, [i for i in every_interest if i.role_id == role.id]) for role in every_role]
