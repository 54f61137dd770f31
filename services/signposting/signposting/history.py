"""The history of every change to the directory, kept as HSDS `metadata` records: who changed which
field of what, when, and its value before and after."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from signposting import hsds
from signposting.store import history

# Parts of an HSDS object that are not its own content: a nested parent, and the change time itself.
NESTED = ("organization", "last_modified")


async def record_history(
    session: AsyncSession, kind: str, resource_id: str, action: str, by: str, changes: dict[str, tuple[Any, Any]]
) -> None:
    now = datetime.now(UTC)
    rows = [
        {
            "id": str(uuid.uuid4()),
            "resource_id": resource_id,
            "resource_type": kind,
            "last_action_date": now,
            "last_action_type": action,
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
        return json.dumps(value, sort_keys=True, default=str)[:20_000]
    return str(value)


def _comparable(value: Any) -> Any:
    """Nested HSDS objects without their ids, so re-saving the same content is no change."""
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "id" and not k.endswith("_id") and k not in NESTED}
    return value


def changes_between(before: dict | None, after: dict) -> dict[str, tuple[Any, Any]]:
    if before is None:
        return {"*": (None, after.get("name") or "created")}
    fields = (set(before) | set(after)) - set(NESTED)
    return {
        f: (before.get(f), after.get(f))
        for f in sorted(fields)
        if _comparable(before.get(f)) != _comparable(after.get(f)) or (f.endswith("_id") and before.get(f) != after.get(f))
    }


async def history_of(session: AsyncSession, resource_id: str) -> list[dict]:
    rows = (
        await session.execute(select(history).where(history.c.resource_id == resource_id).order_by(history.c.position))
    ).all()
    return [hsds.clean(row, history) for row in rows]
