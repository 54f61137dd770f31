"""Small helpers the use cases share."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, datetime

from forum_shared.errors import Invalid
from meetings import domain


def now_or(now: datetime | None) -> datetime:
    return now if now is not None else datetime.now(UTC)


@contextlib.contextmanager
def rules() -> Iterator[None]:
    """A rule's refusal becomes a 422 with the rule's own words."""
    try:
        yield
    except domain.Refused as exc:
        raise Invalid(str(exc)) from exc


def london_times(starts_at: datetime, ends_at: datetime) -> tuple[datetime, datetime]:
    with rules():
        start, end = domain.to_london(starts_at), domain.to_london(ends_at)
        domain.check_times(start, end)
    return start, end
