"""What this service knows of other services, kept from their events: community groups (from
signposting) and who holds an involvement role (from membership).

Each kind of event has its own durable consumer, so events about one group or one person can
arrive out of order; each change is therefore applied so that the order does not matter
(event times decide between a registration and a withdrawal, an end is kept whenever it comes).
The reactions run in the inbox transaction of the event.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import mail
from forum_shared.community_groups import record_group, record_withdrawal
from forum_shared.db import Database
from forum_shared.events.membership import InvolvementRoleAssigned, InvolvementRoleEnded, MemberErased
from forum_shared.events.signposting import CommunityGroupRegistered, CommunityGroupUpdated, CommunityGroupWithdrawn
from meetings import domain
from meetings.records import CommunityGroup, RoleAssignment, RoleHolder
from meetings.store import community_groups
from meetings.store import directory as stored
from meetings.store import registration as stored_registrations


async def record_community_group(
    session: AsyncSession, event: CommunityGroupRegistered | CommunityGroupUpdated, at: datetime
) -> None:
    """A community group joined the directory, or its name or areas changed."""
    await record_group(session, community_groups, event, at)


async def record_community_group_withdrawn(session: AsyncSession, event: CommunityGroupWithdrawn, at: datetime) -> None:
    """A community group left the directory: it can no longer host pop-up forums."""
    await record_withdrawal(session, community_groups, event, at)


async def record_role_assigned(session: AsyncSession, event: InvolvementRoleAssigned) -> None:
    """A member started holding an involvement role."""
    if await stored.is_erased(session, event.member_id):
        return
    await stored.save_assignment(
        session,
        event.assignment_id,
        member_id=event.member_id,
        role_id=event.role_id,
        role_title=event.role_title,
        starts_on=event.starts_on,
    )


async def record_role_ended(session: AsyncSession, event: InvolvementRoleEnded) -> None:
    """A member stopped holding an involvement role (kept, so the order of events does not matter)."""
    if await stored.is_erased(session, event.member_id):
        return
    await stored.save_assignment(
        session, event.assignment_id, member_id=event.member_id, role_id=event.role_id, ends_on=event.ends_on
    )


async def forget_member(session: AsyncSession, event: MemberErased) -> None:
    """A member asked to be forgotten: their roles go, and their registrations keep nothing but
    the bare id (no name, contact details, access needs or notes), and email to the addresses they
    gave is forgotten (`forum_shared.mail.forget`); their id is kept so that a late
    event about them is not recorded again. Once the inbox transaction commits, the old versions
    of those rows leave the database's files too, not only its tables."""
    await stored.remember_erasure(session, event.member_id, event.erased_at)
    await stored.forget_holdings_of(session, event.member_id)
    addresses = await stored_registrations.contact_emails_of_member(session, event.member_id)
    await stored_registrations.forget_details_of_member(session, event.member_id)
    for address in addresses:  # email waiting to go to them, and what sent email holds
        await mail.forget(session, address)
    Database.forget_after_commit(session)


async def list_community_groups(db: Database, can_host: bool | None = None) -> list[CommunityGroup]:
    """Community groups known from the signposting directory, by name."""
    async with db.read() as session:
        groups = await stored.groups_by_name(session)
    return [g for g in groups if can_host is None or g.can_host == can_host]


async def list_role_holders(db: Database, on: date) -> list[RoleHolder]:
    """Members who hold an involvement role on the given day, with those roles."""
    async with db.read() as session:
        assignments = await stored.assignments(session)
    holders: dict[str, list[RoleAssignment]] = {}
    for a in assignments:
        if domain.RoleHolding(a.member_id, a.starts_on, a.ends_on).held_on(on):
            holders.setdefault(a.member_id, []).append(a)
    return [RoleHolder(member, tuple(roles)) for member, roles in holders.items()]
