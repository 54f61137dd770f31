"""Every piece of free text the service keeps, for erasure to take a person's details out of it
wherever they were written: feedback's words and the staff's words about its source, escalations'
public summaries and notes for governors, governors' notes, and published responses."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import Column, Table, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from feedback.store.tables import escalation_notes, escalations, feedback, responses

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
    return changed
