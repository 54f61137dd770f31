"""The unit of work every use case runs in: one transaction holding the change, its audit entry
and its events (the outbox rows), so none is ever written without the others.

    async def close(db: Database, actor: Principal, feedback_id: str) -> Feedback:
        async with unit_of_work(db, actor, "feedback.closed", f"feedback:{feedback_id}") as work:
            item = await store.close(work.session, feedback_id)
            await work.publish(FeedbackClosed(feedback_id=feedback_id))
            return item

A request sent with an `Idempotency-Key` has its key written in this same transaction, so a retry
changes nothing twice (`forum_shared.idempotency`). The JSON API and the pages call the same use
case, so they never differ. `action` may be left
out (a change no one needs to account for, such as a member of the public giving feedback) or set
later with `work.audit(...)`, e.g. once the id of what was made is known; a change that is more
than one thing (an account given a new role and disabled at once) adds an entry for each with
`work.also_audit(...)`. Audit entries hold ids and short facts, never names, contact details or
the words of feedback. The kit's own changes (accounts, sign-ins, API tokens, dead letters,
unsubscribing) run in it too (`forum_shared.access`, `forum_shared.consumers`), so every change
in a service is written this one way.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import idempotency, mail, outbox
from forum_shared.audit import record_audit
from forum_shared.db import Database
from forum_shared.events import Envelope, Event
from forum_shared.identity.principal import Principal


@dataclass
class Work:
    session: AsyncSession
    actor: Principal | str
    action: str | None = None
    target: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    # Entries after this change's own (`also_audit`): (action, target, details), in order.
    more: list[tuple[str, str | None, dict[str, Any]]] = field(default_factory=list)

    def audit(self, action: str, target: str | None = None, **details: Any) -> None:
        """Say (or change) what this change is, for the audit log written when it commits."""
        self.action = action
        if target is not None:
            self.target = target
        self.details.update(details)

    def also_audit(self, action: str, target: str | None = None, **details: Any) -> None:
        """One more audit entry for this change, by the same actor, written after its own entry
        (if it has one) when it commits, in the order they were added."""
        self.more.append((action, target, details))

    async def publish(self, event: Event) -> Envelope:
        """The event goes out after the commit, by the outbox relay; it is in this transaction."""
        return await outbox.record(self.session, event)

    async def send_email(self, email: mail.Email) -> str | None:
        """The email is sent after the commit, by the service's mail sender; it is in this
        transaction (None if the person unsubscribed from its topic)."""
        return await mail.queue(self.session, email)


@contextlib.asynccontextmanager
async def unit_of_work(
    db: Database,
    actor: Principal | str,
    action: str | None = None,
    target: str | None = None,
    details: dict[str, Any] | None = None,
    *,
    idempotent: bool = True,
) -> AsyncIterator[Work]:
    """Run a change in one transaction; on success its audit entries (if it has an action, and
    any `also_audit` added) are written in that same transaction, on any error nothing is.

    `idempotent=False` is for a change whose answer holds a secret it made (a new API token, a
    sign-in's cookie): that answer is never stored to be sent again, so the request's
    Idempotency-Key is not claimed and a retry makes the change afresh."""
    async with db.transaction() as session:
        work = Work(session, actor, action, target, dict(details or {}))
        yield work
        # A request sent with an Idempotency-Key: its key commits with its first change, or not at all.
        if idempotent:
            await idempotency.claim(session)
        if work.action:
            await record_audit(session, work.actor, work.action, work.target, work.details)
        for more_action, more_target, more_details in work.more:
            await record_audit(session, work.actor, more_action, more_target, more_details)
