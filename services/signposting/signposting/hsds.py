"""Open Referral UK (the UK profile of HSDS 3.0): how the directory's values are written in it.

An HSDS object here is a JSON document keyed by the HSDS field names exactly: the open API sends
it as it is, the export writes it, the import reads it back. Every object is made from its
stored values by dropping the empty ones and writing dates and times as HSDS asks. The text
fields the profile requires (an organisation's, taxonomy's or need's description) are never empty:
the use cases write a sentence where none was given (`domain.organization_description` …).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

HSDS_VERSION = "HSDS-UK-3.0"
PROFILE = "https://github.com/OpenReferralUK/uk-profile"

# An HSDS object (a service, an organisation, a location …) as JSON, by its HSDS field names.
Document = dict[str, Any]


def timestamp(value: datetime) -> str:
    """HSDS `last_modified`: UTC with millisecond accuracy, e.g. 2026-11-27T09:30:00.123Z."""
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def hsds_value(value: Any) -> Any:
    """A stored value as HSDS writes it: times and dates as text, whole numbers without `.0`."""
    if isinstance(value, datetime):
        return timestamp(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def hsds_object(values: Mapping[str, Any]) -> Document:
    """The HSDS object holding `values`: no empty fields, dates and times as HSDS writes them."""
    return {name: hsds_value(value) for name, value in values.items() if value is not None}
