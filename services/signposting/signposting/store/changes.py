"""The history of every change to the directory, kept as HSDS `metadata` records: who changed which
field of what, when, and its value before and after."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting.domain import ChangeKind
from signposting.records import Change
from signposting.store.tables import history

# A value longer than this is cut in the history: enough to see what changed.
LONGEST_VALUE = 20_000


async def record_changes(
    session: AsyncSession, kind: str, resource_id: str, action: ChangeKind, by: str, changes: dict[str, tuple[Any, Any]]
) -> None:
    """One history row per changed field, all at the same moment."""
    now = datetime.now(UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "resource_id": resource_id,
            "resource_type": kind,
            "last_action_date": now,
            "last_action_type": action.value,
            "field_name": field,
            "previous_value": _text(before),
            "replacement_value": _text(after),
            "updated_by": by,
        }
        for field, (before, after) in changes.items()
    ]
    if rows:
        await session.execute(insert(history), rows)


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, (list, dict)):
        return json.dumps(value, sort_keys=True, default=str)[:LONGEST_VALUE]
    return str(value)


async def changes_to(session: AsyncSession, resource_id: str) -> list[Change]:
    """Every change to one record, oldest first."""
    rows = await session.execute(
        select(history).where(history.c.resource_id == resource_id).order_by(history.c.position)
    )
    return [
        Change(
            id=row.id,
            resource_id=row.resource_id,
            resource_type=row.resource_type,
            last_action_date=row.last_action_date,
            last_action_type=ChangeKind(row.last_action_type),
            field_name=row.field_name,
            previous_value=row.previous_value,
            replacement_value=row.replacement_value,
            updated_by=row.updated_by,
        )
        for row in rows
    ]
