"""Every piece of free text the service keeps, for erasure to take a person's details out of it
wherever they were written: feedback's words and the staff's words about its source, escalations'
public summaries and notes for governors, governors' notes, published responses, and the facts
held by email not yet sent (an escalation's summary, a response's words)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Column, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.store.tables import escalation_notes, escalations, feedback, responses
from forum_shared.tables import email_outbox

WORDS: tuple[tuple[Table, tuple[str, ...]], ...] = (
    (feedback, ("text", "source")),
    (escalations, ("summary", "notes_for_governors")),
    (escalation_notes, ("text",)),
    (responses, ("you_said", "we_did")),
)


async def rewrite_words(session: AsyncSession, rewrite: Callable[[str], tuple[str, int]]) -> int:
    """Apply `rewrite` (text → new text, words changed) to every piece of free text kept, saving
    what it changed. Returns how many words it changed in all."""
    changed = 0
    for table, names in WORDS:
        key: Column[str] = table.c.id
        columns = [table.c[name] for name in names]
        for row in (await session.execute(select(key, *columns))).all():
            updates = {}
            for name in names:
                value = row._mapping[name]
                if not value:
                    continue
                new, count = rewrite(value)
                if count:
                    updates[name] = new
                    changed += count
            if updates:
                await session.execute(update(table).where(key == row.id).values(**updates))
    return changed + await _rewrite_unsent_email(session, rewrite)


async def _rewrite_unsent_email(session: AsyncSession, rewrite: Callable[[str], tuple[str, int]]) -> int:
    """The same for the facts of email waiting to be sent (a sent email keeps none)."""
    changed = 0

    def rewritten(value: Any) -> Any:
        nonlocal changed
        if isinstance(value, str):
            new, count = rewrite(value)
            changed += count
            return new
        if isinstance(value, list):
            return [rewritten(v) for v in value]
        if isinstance(value, dict):
            return {k: rewritten(v) for k, v in value.items()}
        return value

    rows = await session.execute(
        select(email_outbox.c.id, email_outbox.c.context).where(
            email_outbox.c.sent_at.is_(None), email_outbox.c.context.is_not(None)
        )
    )
    for row in rows.all():
        before = changed
        context = rewritten(row.context)
        if changed > before:
            await session.execute(update(email_outbox).where(email_outbox.c.id == row.id).values(context=context))
    return changed
