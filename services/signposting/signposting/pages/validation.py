"""Check a page's form with the JSON API's own model, and show each problem beside the page's field.

Some API models are nested (a service's schedule, its location's address), while the page asks
for flat fields; `fields` says which page field each part of the model is typed into.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from forum_shared.ui import Form
from forum_shared.ui.forms import friendly


def visible(value: Any) -> Any:
    """A refused value as shown again in its field: without invisible control characters (a NUL
    byte cannot be written in a page), new lines and tabs kept; lists item by item."""
    if isinstance(value, list):
        return [visible(item) for item in value]
    if isinstance(value, str):
        return "".join(c for c in value if c in "\n\r\t" or unicodedata.category(c) != "Cc")
    return value


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
            if err.get("type") == "value_error" and "control characters" in err.get("msg", ""):
                # Before any message of the page's own: the person must see what is wrong here.
                errors[name] = err["msg"].removeprefix("Value error, ")
            elif messages and name in messages:
                errors[name] = messages[name]
            elif len(path) > 1:
                errors[name] = str(err.get("msg", "is not valid")).removeprefix("Value error, ")
            else:
                errors[name] = friendly(model, _as_text(err)).replace("Value error, ", "")
        return Form({k: visible(v) for k, v in page_values.items()}, errors, None)


def _as_text(err: ErrorDetails) -> ErrorDetails:
    """A length refused after the kit's text check reads as one about characters, like any other."""
    kind = {"too_short": "string_too_short", "too_long": "string_too_long"}.get(err.get("type", ""))
    if kind is None or not isinstance(err.get("input"), str):
        return err
    text = err.copy()
    text["type"] = kind
    return text
