"""The audit log: who changed what, and when. Written in the same transaction as the change, so
a change is never made without its record, nor recorded without being made.

Record ids and short facts in `details`, never passwords or tokens, and no more personal data
than a reader of the log needs (a member's id, not their address).
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Protocol

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.tables import audit_log


class Actor(Protocol):
    """Someone who changes things: a signed-in person or a program's token (a Principal)."""

    @property
    def actor(self) -> str: ...

    @property
    def name(self) -> str | None: ...

ANONYMOUS = "anonymous"
SYSTEM = "system"


async def record_audit(
    session: AsyncSession,
    actor: Actor | str,
    action: str,
    target: str | None = None,
    details: dict[str, Any] | None = None,
) -> None:
    """Add one entry, e.g. `record_audit(session, user, "feedback.escalated", f"feedback:{id}", {...})`.

    `actor` is the signed-in Principal, or "system" / "anonymous" for what no person did.
    """
    if isinstance(actor, str):
        actor_id, actor_name = actor, None
    else:
        actor_id, actor_name = actor.actor, actor.name
    await session.execute(
        insert(audit_log).values(
            at=datetime.now(UTC),
            actor=actor_id,
            actor_name=actor_name,
            action=action,
            target=target,
            details=details or {},
        )
    )


async def count_audit(session: AsyncSession, *, action: str | None = None) -> int:
    count = select(func.count()).select_from(audit_log)
    if action:
        count = count.where(audit_log.c.action == action)
    return (await session.execute(count)).scalar_one()


async def list_audit(
    session: AsyncSession, *, limit: int = 50, offset: int = 0, action: str | None = None
) -> tuple[list[dict[str, Any]], int]:
    """Entries newest first, and how many there are in all."""
    query = select(audit_log)
    if action:
        query = query.where(audit_log.c.action == action)
    rows = await session.execute(query.order_by(audit_log.c.id.desc()).limit(limit).offset(offset))
    return [dict(r._mapping) for r in rows], await count_audit(session, action=action)
