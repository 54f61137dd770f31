"""HTML forms read into the same pydantic models the JSON API uses, with plain-English errors.

    form = await read_form(request, FeedbackCreate, messages={"text": "Enter what you want to tell us"})
    if not form.ok:
        return render(request, "give.html", form=form, status_code=422)
    ... use form.data (a FeedbackCreate) ...

The form macros re-fill fields from `form.values`, show `form.errors[name]` beside each field, and
`error_summary(form)` lists them all at the top, each linking to its field.
"""

from __future__ import annotations

import enum
import typing
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from fastapi import Request
from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

# A Mapping, not a dict, so a route's own `dict[str, str]` of messages is accepted as it is.
Messages = Mapping[str, "str | Mapping[str, str]"]


@dataclass
class Form:
    values: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, str] = field(default_factory=dict)
    data: Any = None

    @property
    def ok(self) -> bool:
        return not self.errors

    def add_error(self, name: str, message: str) -> Form:
        """An error the model cannot see (say, a wrong password): shown like the others."""
        self.errors[name] = message
        return self


def _is_list(annotation: Any) -> bool:
    origin = typing.get_origin(annotation)
    if origin in (list, set, tuple, frozenset):
        return True
    return any(_is_list(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def _label(model: type[BaseModel], name: str) -> str:
    info = model.model_fields.get(name)
    if info is not None and info.title:
        return info.title
    return name.replace("_", " ")


def _is_choice(annotation: Any) -> bool:
    """Chosen from options (radios, checkboxes, a select) rather than typed."""
    if typing.get_origin(annotation) is typing.Literal or annotation is bool:
        return True
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return True
    return any(_is_choice(arg) for arg in typing.get_args(annotation) if arg is not type(None))


def friendly(model: type[BaseModel], err: ErrorDetails) -> str:
    """An error message in the NHS.UK style: say what to do, not what went wrong."""
    name = str(err["loc"][0]) if err.get("loc") else ""
    label = _label(model, name) if name else "this"
    kind = err.get("type", "")
    ctx = err.get("ctx") or {}
    info = model.model_fields.get(name)
    if kind == "missing" and info is not None and _is_choice(info.annotation):
        return f"Select {label}"
    if kind == "missing" or (kind == "string_too_short" and ctx.get("min_length") == 1):
        return f"Enter {label}"
    if kind == "string_too_short":
        return f"{label.capitalize()} must be {ctx.get('min_length')} characters or more"
    if kind == "string_too_long":
        return f"{label.capitalize()} must be {ctx.get('max_length')} characters or fewer"
    if kind in ("literal_error", "enum"):
        return f"Select {label}"
    if kind in ("int_parsing", "float_parsing", "decimal_parsing"):
        return f"{label.capitalize()} must be a number"
    if kind.startswith(("greater_than", "less_than")):
        return f"{label.capitalize()} must be {err.get('msg', '').removeprefix('Input should be ')}"
    if kind.startswith(("date", "datetime")):
        return f"{label.capitalize()} must be a real date"
    if kind == "value_error" and "not a valid email address" in err.get("msg", "").lower():
        return "Enter an email address in the correct format, like name@example.com"
    return f"{label.capitalize()}: {err.get('msg', 'is not valid')}"


def validate_form(model: type[BaseModel], values: dict[str, Any], messages: Messages | None = None) -> Form:
    """Check submitted `values` against `model`; empty fields count as not given."""
    given = {k: v for k, v in values.items() if v not in ("", None, [])}
    try:
        return Form(values, {}, model.model_validate(given))
    except ValidationError as exc:
        errors: dict[str, str] = {}
        for err in exc.errors():
            name = str(err["loc"][0]) if err.get("loc") else "form"
            if name in errors:
                continue
            custom = (messages or {}).get(name)
            if isinstance(custom, Mapping):
                custom = custom.get(err.get("type", "")) or custom.get("*")
            errors[name] = custom or friendly(model, err)
        ordered = {name: errors[name] for name in model.model_fields if name in errors}
        return Form(values, {**ordered, **errors}, None)


async def read_form(request: Request, model: type[BaseModel], messages: Messages | None = None) -> Form:
    """The posted form, validated against `model` (list fields take every ticked checkbox).

    Text is trimmed of surrounding spaces, except passwords, where every character counts.
    """
    posted = await request.form()
    values: dict[str, Any] = {}
    for name, info in model.model_fields.items():
        if _is_list(info.annotation):
            values[name] = [v for v in posted.getlist(name) if isinstance(v, str)]
        elif isinstance(value := posted.get(name), str):
            values[name] = value if "password" in name else value.strip()
    return validate_form(model, values, messages)
