"""What the directory's changes share: ids, a model's values as a row, and what counts as a change
of a listing (each one is kept in its history, who and when)."""

from __future__ import annotations

import uuid
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from signposting.domain import ChangeKind
from signposting.hsds import Document
from signposting.store.changes import record_changes

Model = TypeVar("Model", bound=BaseModel)
# Parts of an HSDS object that are not its own content: a nested parent, and the change time itself.
NESTED = ("organization", "last_modified")


def new_id(given: uuid.UUID | None = None) -> str:
    """The id a caller gave (HSDS ids are UUIDs), or a new one."""
    return str(given or uuid.uuid4())


def row_of(model: BaseModel, *, exclude: frozenset[str] = frozenset()) -> dict[str, Any]:
    """A model's own values as a row: no id (the caller decides it), UUIDs as text."""
    values = model.model_dump(exclude={"id", *exclude}, mode="python")
    return {k: (str(v) if isinstance(v, uuid.UUID) else v) for k, v in values.items()}


def child_rows(items: list[Any], **owner: str) -> list[dict[str, Any]]:
    """Rows of objects under another (a service's schedules, a location's addresses …)."""
    return [{"id": new_id(item.id), **row_of(item), **owner} for item in items]


def validated(model: type[Model], values: dict[str, Any]) -> Model:
    """A stored object with a change applied, checked again as a whole; `Invalid` names the first
    field that no longer fits."""
    try:
        return model.model_validate(values)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "body"
        raise Invalid(f"{where}: {first['msg']}") from None


def _comparable(value: Any) -> Any:
    """Nested HSDS objects without their ids, so re-saving the same content is no change."""
    if isinstance(value, list):
        return [_comparable(v) for v in value]
    if isinstance(value, dict):
        return {k: _comparable(v) for k, v in value.items() if k != "id" and not k.endswith("_id") and k not in NESTED}
    return value


def changes_between(before: Document | None, after: Document) -> dict[str, tuple[Any, Any]]:
    """Each field whose content differs, with its value before and after; a new object is one
    change (`*`), from nothing to its name."""
    if before is None:
        return {"*": (None, after.get("name") or "created")}
    fields = (set(before) | set(after)) - set(NESTED)
    return {
        f: (before.get(f), after.get(f))
        for f in sorted(fields)
        if _comparable(before.get(f)) != _comparable(after.get(f))
        or (f.endswith("_id") and before.get(f) != after.get(f))
    }


async def keep_history(
    session: AsyncSession, kind: str, record_id: str, before: Document | None, after: Document, by: str
) -> dict[str, tuple[Any, Any]]:
    """Record what changed between two versions of a listing in its history; return the changes."""
    changes = changes_between(before, after)
    action = ChangeKind.CREATE if before is None else ChangeKind.UPDATE
    await record_changes(session, kind, record_id, action, by, changes)
    return changes
