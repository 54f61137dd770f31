"""Long lists a page at a time, with "Previous" and "Next" links that keep the other filters."""

from __future__ import annotations

import math
from dataclasses import dataclass
from urllib.parse import urlencode

from fastapi import Request


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
        raw = request.query_params.get("page", "1")
        number = int(raw) if raw.isdigit() and int(raw) > 0 else 1
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
