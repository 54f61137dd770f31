"""England's bank holidays (from the `holidays` package), which respond-by dates skip."""

from __future__ import annotations

import functools
from datetime import date

import holidays


@functools.cache
def _england(year: int) -> frozenset[date]:
    return frozenset(holidays.UK(subdiv="ENG", years=year))


def in_england(day: date) -> bool:
    return day in _england(day.year)
