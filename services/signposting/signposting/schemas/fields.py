"""Field types the directory's models share: short and long text, web addresses, iCalendar days
and times of day, and the base of every HSDS object (its optional UUID).

Every string is the kit's `Line` (one line) or `Text` (new lines allowed), so invisible control
characters are refused with a message that names the field, from the API, a page or an import."""

from __future__ import annotations

import re
from datetime import time
from typing import Annotated
from uuid import UUID

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints

from forum_shared.text import Line, Text, one_line


def _url(value: str) -> str:
    if not re.match(r"^https?://[^\s/$.?#].[^\s]*$", value, re.IGNORECASE):
        raise ValueError("Give a full web address starting with http:// or https://")
    return value


def _byday(value: str) -> str:
    parts = [p.strip().upper() for p in value.split(",") if p.strip()]
    if not parts or not all(re.fullmatch(r"[+-]?\d{0,2}(MO|TU|WE|TH|FR|SA|SU)", p) for p in parts):
        raise ValueError("Use iCalendar day codes separated by commas, like MO,WE or 1TU")
    return ",".join(parts)


def _clock(value: object) -> object:
    if isinstance(value, str):
        # Checked before parsing: the time parser overlooks a trailing NUL byte.
        value = one_line(value)
        try:
            value = time.fromisoformat(value)
        except ValueError:
            raise ValueError("Give a time of day like 09:30 or 09:30:00") from None
    if isinstance(value, time):
        return value.replace(microsecond=0, tzinfo=None).isoformat()
    return value


Short = Annotated[Line, StringConstraints(min_length=1, max_length=300)]
Long = Annotated[Text, StringConstraints(max_length=10_000)]
Url = Annotated[Line, StringConstraints(max_length=500), AfterValidator(_url)]
ByDay = Annotated[Line, AfterValidator(_byday)]
Clock = Annotated[Line, BeforeValidator(_clock), StringConstraints(max_length=8)]



class Hsds(BaseModel):
    """An HSDS object as sent: fields the directory does not keep are ignored."""

    model_config = ConfigDict(extra="ignore")

    id: UUID | None = Field(default=None, description="HSDS id (a UUID); made up if not given.")
