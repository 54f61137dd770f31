"""Pieces every request model shares: how times are read, blank answers meaning "not given", and
text that refuses invisible control characters (every string anyone sends is `Line` or `Text`)."""

from typing import Annotated

from pydantic import BaseModel, BeforeValidator, ConfigDict, EmailStr, Field, HttpUrl, UrlConstraints

from forum_shared.text import Line, Text

TIME_HELP = (
    "UK time, e.g. 2026-12-03T14:00 (read as London time), or with its UTC offset "
    "(2026-12-03T14:00:00+00:00)."
)


def _blank_is_none(value: object) -> object:
    return None if isinstance(value, str) and not value.strip() else value


# An id from the membership service.
MemberId = Annotated[Line, Field(max_length=64)]

# Optional words (one line, or several): an empty or blank answer means "not given".
OptionalLine = Annotated[Line | None, BeforeValidator(_blank_is_none)]
OptionalText = Annotated[Text | None, BeforeValidator(_blank_is_none)]
Link = Annotated[Annotated[HttpUrl, UrlConstraints(max_length=500)] | None, BeforeValidator(_blank_is_none)]
Email = Annotated[EmailStr | None, BeforeValidator(_blank_is_none)]


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)


class Public(BaseModel):
    """A response, read from a record's attributes."""

    model_config = ConfigDict(from_attributes=True)
