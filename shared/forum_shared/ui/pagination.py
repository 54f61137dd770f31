"""Long lists a page at a time, with "Previous" and "Next" links that keep the other filters."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import Path, Query, Request

MOST = 1_000_000_000
Offset = Annotated[int, Query(ge=0, le=MOST, description="How many to skip, for the next page: from 0.")]
"""The `offset` of a JSON list, bounded so no number is too large for a database to take."""
RowId = Annotated[int, Path(ge=1, le=2**53, description="The number that identifies it.")]
"""A whole-number id in a path, bounded in the same way."""


def page_number(raw: str | None, most: int = 1_000_000) -> int:
    """A page number from a query string: anything that is not a plain whole number from 1 to
    `most` (say "²" or a thousand digits) is page 1, not an error."""
    if raw and raw.isascii() and raw.isdigit() and len(raw) <= len(str(most)) and 0 < int(raw) <= most:
        return int(raw)
    return 1


@dataclass(frozen=True)
class Pagination:
    number: int  # 1-based
    size: int
    total: int
    base_query: tuple[tuple[str, str], ...] = ()
    path: str = ""

    @classmethod
    def from_request(cls, request: Request, total: int, size: int = 25) -> Pagination:
        """Page `?page=N` of `total` items; use `.offset` and `.size` in the query."""
        number = page_number(request.query_params.get("page"))
        pages = max(1, math.ceil(total / size))
        kept = tuple((k, v) for k, v in request.query_params.multi_items() if k != "page")
        return cls(min(number, pages), size, total, kept, request.url.path)

    @property
    def pages(self) -> int:
        return max(1, math.ceil(self.total / self.size))

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    def url(self, number: int) -> str:
        return f"{self.path}?{urlencode([*self.base_query, ('page', str(number))])}"

    @property
    def previous_url(self) -> str | None:
        return self.url(self.number - 1) if self.number > 1 else None

    @property
    def next_url(self) -> str | None:
        return self.url(self.number + 1) if self.number < self.pages else None
