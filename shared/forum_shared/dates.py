"""Days and moments people and programs send: ISO 8601 text only.

pydantic on its own reads a number as a time since 1970 (`"due_on": 0` would be 1 January 1970),
which no one means and no document says. Every date and date-time a schema or a query takes is
`Day` or `Moment`, which refuse numbers, as numbers or as text, with a message that shows the form
to use. What a service returns is unchanged. `Month` is a month as the forum writes it, YYYY-MM.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BeforeValidator, Field

from forum_shared.text import PlainText

_NUMBER = re.compile(r"^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$")


def _not_a_number(example: str) -> Any:
    def check(value: Any) -> Any:
        if isinstance(value, int | float) and not isinstance(value, bool) or (
            isinstance(value, str) and _NUMBER.match(value)
        ):
            raise ValueError(f"Give it as text in the form {example}, not as a number.")
        return value

    return check


FIRST_YEAR, LAST_YEAR = 1900, 2999
_YEARS = r"^(19[0-9]{2}|2[0-9]{3})-"


def _in_the_forum_s_time(value: date) -> date:
    """A day or moment the forum can mean: from 1900 to 2999 (the year 1 or 9999 would only
    overflow when it is moved to UTC or to the next month)."""
    try:
        day = value.astimezone(UTC) if isinstance(value, datetime) and value.tzinfo else value
    except OverflowError:
        day = value.replace(year=1) if value.year < FIRST_YEAR else value.replace(year=9999)
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValueError(f"Give a date from {FIRST_YEAR} to {LAST_YEAR}.")
    return value


Day = Annotated[
    date,
    BeforeValidator(_not_a_number("2027-03-04")),
    AfterValidator(_in_the_forum_s_time),
    Field(json_schema_extra={"pattern": _YEARS}),
]
Moment = Annotated[
    datetime,
    BeforeValidator(_not_a_number("2027-03-04T18:30:00Z")),
    AfterValidator(_in_the_forum_s_time),
    Field(json_schema_extra={"pattern": _YEARS}),
]
# A moment that must say its offset from UTC (a time someone gives, e.g. from a paper form).
AwareMoment = Annotated[
    AwareDatetime,
    BeforeValidator(_not_a_number("2027-03-04T18:30:00Z")),
    AfterValidator(_in_the_forum_s_time),
    Field(json_schema_extra={"pattern": _YEARS}),
]
_MONTH = r"^(19[0-9]{2}|2[0-9]{3})-(0[1-9]|1[0-2])$"


def _month(value: str) -> str:
    if not re.match(_MONTH, value):
        raise ValueError(f"Give a month as YYYY-MM, e.g. 2026-11, from {FIRST_YEAR} to {LAST_YEAR}.")
    return value


Month = Annotated[
    str,
    AfterValidator(_month),
    PlainText("one"),  # digits and a hyphen: no control character gets through
    Field(description="A month as YYYY-MM, e.g. 2026-11.", examples=["2026-11"], json_schema_extra={"pattern": _MONTH}),
]
