"""Check a page's form with the JSON API's own model, and show each problem beside the page's field.

Some API models are nested (a service's schedule, its location's address), while the page asks
for flat fields; `fields` says which page field each part of the model is typed into.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError

from forum_shared.ui import Form
from forum_shared.ui.forms import friendly


def lines(text: str | None) -> list[str]:
    """A box with one item a line (or separated by commas) as a list."""
    return [p.strip() for line in (text or "").splitlines() for p in line.split(",") if p.strip()]


def given(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if v not in ("", None, [])}


async def posted(request: Request, names: tuple[str, ...], lists: tuple[str, ...] = ()) -> dict[str, Any]:
    """The posted values of a page's fields, trimmed; list fields take every ticked box."""
    form = await request.form()
    values: dict[str, Any] = {n: str(form.get(n) or "").strip() for n in names}
    values |= {n: [v for v in form.getlist(n) if isinstance(v, str) and v] for n in lists}
    return values


def check(
    model: type[BaseModel],
    page_values: dict[str, Any],
    model_values: dict[str, Any],
    fields: dict[str, str] | None = None,
    messages: dict[str, str] | None = None,
) -> Form:
    """Validate `model_values` with `model`; errors are keyed by the page's field names.

    `fields` maps a model path ("schedules.0.opens_at", or just "schedules") to a page field.
    """
    fields = fields or {}
    try:
        return Form(page_values, {}, model.model_validate(model_values))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            path = [str(p) for p in err.get("loc", ())]
            name = next(
                (fields[".".join(path[:n])] for n in range(len(path), 0, -1) if ".".join(path[:n]) in fields),
                path[0] if path else "name",
            )
            if name in errors:
                continue
            if messages and name in messages:
                errors[name] = messages[name]
            elif len(path) > 1:
                errors[name] = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
            else:
                errors[name] = friendly(model, err).replace("Value error, ", "")
        return Form(page_values, errors, None)
