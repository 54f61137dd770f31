"""The report of signposting for the forum's meetings: where people were signposted and for what,
and the unmet need — signposting to nothing, and staff searches that found nothing."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import TypeVar

from forum_shared.db import Database
from forum_shared.errors import Invalid
from signposting import domain
from signposting.store import directory, signposting

Key = TypeVar("Key", bound=Hashable)


@dataclass(frozen=True)
class Count:
    """How many times, in an area (and its district), for a need (and its name)."""

    count: int
    area: str | None = None
    district: str | None = None
    need: str | None = None
    need_name: str | None = None


@dataclass(frozen=True)
class UnmetNeed:
    signposted_to_nothing: list[Count]
    searches_found_nothing: list[Count]
    search_words: list[Count]  # `need` holds the words searched for


@dataclass(frozen=True)
class SignpostingReport:
    since: date | None
    until: date | None
    signposting_total: int
    by_area: list[Count]
    by_need: list[Count]
    by_area_and_need: list[Count]
    unmet_need: UnmetNeed


def _ordered(counter: Counter[Key], make: Callable[[Key, int], Count]) -> list[Count]:
    """Most first; equal counts in the order of their keys."""
    return [make(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]


async def signposting_report(db: Database, since: date | None = None, until: date | None = None) -> SignpostingReport:
    """The report for the days from `since` to `until` (either may be left open); `Invalid` if
    the period ends before it starts."""
    if since and until and since > until:
        raise Invalid("since: the start of the period is after its end.")
    start = datetime.combine(since, time.min, tzinfo=UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC) if until else None
    async with db.read() as session:
        given = await signposting.signpostings_between(session, start, end)
        searched = await signposting.unmet_searches_between(session, start, end)
        names = await directory.term_names(session)

    by_area: Counter[str | None] = Counter()
    by_need: Counter[str] = Counter()
    pairs: Counter[tuple[str | None, str | None]] = Counter()
    unmet_pairs: Counter[tuple[str | None, str | None]] = Counter()
    for record in given:
        by_area[record.area] += 1
        needs: list[str | None] = [*record.needs] or [None]
        for need in needs:
            pairs[(record.area, need)] += 1
            if need:
                by_need[need] += 1
            if not record.service_ids:
                unmet_pairs[(record.area, need)] += 1
    search_pairs: Counter[tuple[str | None, str | None]] = Counter()
    search_words: Counter[tuple[str | None, str]] = Counter()
    for search in searched:
        wanted: list[str | None] = [*search.needs] or [None]
        for need in wanted:
            search_pairs[(search.area, need)] += 1
        if search.words:
            search_words[(search.area, search.words)] += 1

    def count(n: int, area: str | None = None, need: str | None = None) -> Count:
        return Count(n, area, domain.district_of(area), need, names.get(need) if need else None)

    def pair(key: tuple[str | None, str | None], n: int) -> Count:
        return count(n, *key)

    def words(key: tuple[str | None, str], n: int) -> Count:
        return Count(n, key[0], domain.district_of(key[0]), key[1])

    return SignpostingReport(
        since=since,
        until=until,
        signposting_total=len(given),
        by_area=_ordered(by_area, lambda area, n: count(n, area=area)),
        by_need=_ordered(by_need, lambda need, n: count(n, need=need)),
        by_area_and_need=_ordered(pairs, pair),
        unmet_need=UnmetNeed(
            signposted_to_nothing=_ordered(unmet_pairs, pair),
            searches_found_nothing=_ordered(search_pairs, pair),
            search_words=_ordered(search_words, words),
        ),
    )
