"""What the meetings pages share: how times and access support are shown, and how a use case's
refusal is put beside the field it is about."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ValidationError

from forum_shared.errors import ForumError
from forum_shared.ui import Form, validate_form
from meetings import domain
from meetings.domain import ACCESS_LABELS, AccessService


def sentence(text: str) -> str:
    """First letter in capitals, the rest as written ("BSL interpreter" stays so)."""
    return text[:1].upper() + text[1:]


ACCESS_OPTIONS = [(service.value, sentence(ACCESS_LABELS[service])) for service in AccessService]


def _clock(moment: datetime) -> str:
    hour = moment.hour % 12 or 12
    minutes = "" if moment.minute == 0 else f":{moment:%M}"
    return f"{hour}{minutes}{'am' if moment.hour < 12 else 'pm'}"


def when(start: datetime, end: datetime | None = None) -> str:
    """'Thursday 3 December 2026, 7pm to 9pm' in UK time."""
    start = domain.to_london(start)
    text = f"{start:%A} {start.day} {start:%B %Y}, {_clock(start)}"
    if end is not None:
        end = domain.to_london(end)
        text += f" to {_clock(end)}" if end.date() == start.date() else f" to {end.day} {end:%B} {_clock(end)}"
    return text


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
        message = form.errors.pop("form").removeprefix("Form: ").removeprefix("Value error, ")
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
