"""Announcing again what other services keep from this one's events: every holding of an
involvement role that has not ended, as `InvolvementRoleAssigned` (and `InvolvementRoleEnded` too
where its last day is already set).

For a partner whose service joins after the streams dropped a holding's own events (they keep
events for seven years, or less where a stream is capped by size): `forum announce membership`.
Consumers keep holdings by their id, so a holding they know is unchanged and one they did not know
is added. Holdings already over are not announced: nobody needs them to run a pop-up forum.
"""

from __future__ import annotations

from forum_shared.db import Database
from forum_shared.events.membership import InvolvementRoleAssigned, InvolvementRoleEnded
from forum_shared.unit_of_work import unit_of_work
from membership import domain
from membership.store import holding_queries

WHAT = "role holding(s) as InvolvementRoleAssigned"


async def announce(db: Database, actor: str) -> int:
    """Record the events of every holding not over today (published by the outbox); returns how
    many holdings."""
    async with unit_of_work(db, actor, "role_holdings.announced", "role_holdings") as work:
        holdings = await holding_queries.holdings_not_over_by(work.session, domain.today())
        for h in holdings:
            await work.publish(InvolvementRoleAssigned(
                assignment_id=h.id, member_id=h.member_id, role_id=h.role_id, role_title=h.role_title,
                starts_on=h.starts_on,
            ))
            if h.ends_on is not None:
                await work.publish(InvolvementRoleEnded(
                    assignment_id=h.id, member_id=h.member_id, role_id=h.role_id, ends_on=h.ends_on,
                ))
        work.details["holdings"] = len(holdings)
        return len(holdings)
