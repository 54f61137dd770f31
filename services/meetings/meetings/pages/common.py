"""What the meetings pages share: how times and access support are shown, and how a use case's
refusal is put beside the field it is about."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from fastapi import Request
from pydantic import BaseModel, ValidationError

from forum_shared.errors import ForumError
from forum_shared.ui import Form, validate_form
from meetings import domain
from meetings.domain import ACCESS_LABELS, AccessService


def sentence(text: str) -> str:
    """First letter in capitals, the rest as written ("BSL interpreter" stays so)."""
    return text[:1].upper() + text[1:]


ACCESS_OPTIONS = [(service.value, sentence(ACCESS_LABELS[service])) for service in AccessService]


def site_url(request: Request, public_url: str | None) -> str:
    """This service's address as people reach it (no trailing slash): its public URL if set,
    otherwise the one this request came to."""
    return (public_url or str(request.base_url)).rstrip("/")


def origin_of(url: str) -> str:
    """'https://meetings.example.org' from any URL on that site."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def local_input(moment: datetime | None) -> str:
    """A time as a datetime-local field shows it: London wall-clock time."""
    return "" if moment is None else domain.to_london(moment).strftime("%Y-%m-%dT%H:%M")


def day(value: date | None) -> str:
    return "" if value is None else domain.long_date(value)


# Words in a use case's refusal that tell which field it is about.
_FIELD_HINTS = (
    ("area", "area"),
    ("clock", "starts_at"),
    ("start", "starts_at"),
    ("end", "ends_at"),
    ("12 hours", "ends_at"),
    ("venue", "venue"),
    ("online", "online_url"),
    ("place", "capacity"),
    ("facilitat", "facilitator_member_ids"),
    ("role", "facilitator_member_ids"),
    ("group", "community_group_id"),
    ("directory", "community_group_id"),
)


def refused(form: Form, exc: ForumError, fields: list[str] | tuple[str, ...], default: str) -> Form:
    """Show a use case's refusal beside the field it is most likely about."""
    text = exc.message.lower()
    for word, name in _FIELD_HINTS:
        if word in text and name in fields:
            return form.add_error(name, exc.message)
    return form.add_error(default, exc.message)


def full_form(model: type[BaseModel], values: dict[str, Any], messages: dict[str, Any] | None = None) -> Form:
    """Validate every field of a form that shows them all, so a field left blank clears it
    (a JSON caller leaves out what does not change; a form always sends everything)."""
    form = validate_form(model, values, messages)
    if "form" in form.errors:  # a rule about the whole form: show it by the first field
        message = form.errors.pop("form").removeprefix("Form: ").removeprefix("This: ").removeprefix("Value error, ")
        form.add_error(next(iter(values)), message)
    if not form.ok:
        return form
    given = {name: (value if value not in ("",) else None) for name, value in values.items()}
    try:
        form.data = model.model_validate(given)
    except ValidationError as exc:
        first = exc.errors()[0]
        name = str(first["loc"][0]) if first.get("loc") else next(iter(values))
        form.add_error(name, str(first.get("msg", "")).removeprefix("Value error, "))
    return form
