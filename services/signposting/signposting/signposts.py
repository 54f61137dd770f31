"""Signposting a person, anonymously, and the report of where people were signposted and where
nothing fitted (unmet need) for the forum's meetings.

No record here can identify anyone: an area is kept at postcode-district level at most, needs are
taxonomy terms or a few words checked for contact details, and there is no field for a name or notes.
"""

from __future__ import annotations

import uuid
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, insert, select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared import outbox
from forum_shared.errors import Invalid
from forum_shared.events import SignpostingGiven
from signposting import domain
from signposting.forum_schemas import SignpostingCreate
from signposting.search import ServiceQuery
from signposting.store import services, signposting_needs, signpostings, taxonomy_terms, unmet_searches


def anonymous_area(area: str | None) -> str | None:
    """A postcode is cut to its district (PE1 1AA → PE1); other areas are kept as typed."""
    if not area or not area.strip():
        return None
    try:
        return domain.outward_code_of(area)
    except ValueError:
        return " ".join(area.split())


async def _needs(session: AsyncSession, needs: list[str]) -> list[str]:
    """Each need as a taxonomy term id when it names one (by id or name), else as lower-case words."""
    terms = (await session.execute(select(taxonomy_terms.c.id, taxonomy_terms.c.name))).all()
    by_id = {t.id for t in terms}
    by_name = {domain.key(t.name): t.id for t in terms}
    resolved = []
    for need in needs:
        value = need.strip()
        resolved.append(value if value in by_id else by_name.get(domain.key(value), domain.key(value)))
    return list(dict.fromkeys(resolved))


async def record_signposting(session: AsyncSession, data: SignpostingCreate) -> dict:
    service_ids = list(dict.fromkeys(str(s) for s in data.service_ids))
    if service_ids:
        known = set((await session.execute(select(services.c.id).where(services.c.id.in_(service_ids)))).scalars())
        unknown = [s for s in service_ids if s not in known]
        if unknown:
            raise Invalid(f"service_ids: there is no service with id {', '.join(unknown)} in the directory.")
    row = {
        "id": str(uuid.uuid4()),
        "given_at": datetime.now(UTC),
        "area": anonymous_area(data.area),
        "needs": await _needs(session, data.needs),
        "service_ids": service_ids,
    }
    await session.execute(insert(signpostings).values(**row))
    if row["needs"]:
        await session.execute(insert(signposting_needs), [{"signposting_id": row["id"], "need": n} for n in row["needs"]])
    await outbox.record(
        session,
        SignpostingGiven(signposting_id=row["id"], given_at=row["given_at"], area=row["area"], needs=row["needs"], service_ids=service_ids),
    )
    return row


async def list_signpostings(session: AsyncSession, offset: int = 0, limit: int = 25) -> tuple[list[dict], int]:
    """Signposting records, newest first, with the names of needs and services; and how many in all."""
    total = await session.scalar(select(func.count()).select_from(signpostings))
    rows = (await session.execute(
        select(signpostings).order_by(signpostings.c.given_at.desc(), signpostings.c.id).offset(offset).limit(limit)
    )).all()
    needs = dict((await session.execute(select(taxonomy_terms.c.id, taxonomy_terms.c.name))).all())
    wanted = {s for row in rows for s in row.service_ids or []}
    names = dict((await session.execute(select(services.c.id, services.c.name).where(services.c.id.in_(wanted)))).all()) if wanted else {}
    return [
        {"id": row.id, "given_at": row.given_at, "area": row.area,
         "needs": [needs.get(n, n) for n in row.needs or []],
         "services": [names.get(s, "a service no longer listed") for s in row.service_ids or []]}
        for row in rows
    ], total


async def record_unmet_search(session: AsyncSession, q: ServiceQuery) -> None:
    """A search about a need or an area found nothing: count it, without anything personal."""
    words = " ".join(q.words)[:200] or None
    if words and domain.personal_detail_in(words):
        words = None
    await session.execute(insert(unmet_searches).values(
        id=str(uuid.uuid4()),
        searched_at=datetime.now(UTC),
        area=anonymous_area(q.postcode or q.area),
        needs=sorted(set(q.taxonomy_term_ids)),
        words=words,
    ))


async def report(session: AsyncSession, since: date | None = None, until: date | None = None) -> dict:
    if since and until and since > until:
        raise Invalid("since: the start of the period is after its end.")
    start = datetime.combine(since, time.min, tzinfo=UTC) if since else None
    end = datetime.combine(until + timedelta(days=1), time.min, tzinfo=UTC) if until else None
    given = await _between(session, signpostings, signpostings.c.given_at, start, end)
    searched = await _between(session, unmet_searches, unmet_searches.c.searched_at, start, end)
    names = dict((await session.execute(select(taxonomy_terms.c.id, taxonomy_terms.c.name))).all())

    by_area, by_need, pairs, unmet_pairs = Counter(), Counter(), Counter(), Counter()
    for row in given:
        by_area[row.area] += 1
        for need in row.needs or [None]:
            pairs[(row.area, need)] += 1
            if need:
                by_need[need] += 1
            if not row.service_ids:
                unmet_pairs[(row.area, need)] += 1
    search_pairs, search_words = Counter(), Counter()
    for row in searched:
        for need in row.needs or [None]:
            search_pairs[(row.area, need)] += 1
        if row.words:
            search_words[(row.area, row.words)] += 1

    def count(area=None, need=None, n=0) -> dict:
        district = _district(area)
        return {"area": area, "district": district, "need": need, "need_name": names.get(need), "count": n}

    def ordered(counter: Counter, make) -> list[dict]:
        return [make(k, n) for k, n in sorted(counter.items(), key=lambda kv: (-kv[1], str(kv[0])))]

    return {
        "since": since,
        "until": until,
        "signposting_total": len(given),
        "by_area": ordered(by_area, lambda a, n: count(area=a, n=n)),
        "by_need": ordered(by_need, lambda need, n: count(need=need, n=n)),
        "by_area_and_need": ordered(pairs, lambda k, n: count(*k, n=n)),
        "unmet_need": {
            "signposted_to_nothing": ordered(unmet_pairs, lambda k, n: count(*k, n=n)),
            "searches_found_nothing": ordered(search_pairs, lambda k, n: count(*k, n=n)),
            "search_words": ordered(search_words, lambda k, n: {**count(area=k[0], n=n), "need": k[1]}),
        },
    }


async def _between(session: AsyncSession, table, column, start, end) -> list:
    query = select(table)
    if start:
        query = query.where(column >= start)
    if end:
        query = query.where(column < end)
    return (await session.execute(query)).all()


def _district(area: str | None) -> str | None:
    if not area:
        return None
    place = domain.find_area(area)
    found = {domain.outward_codes()[c].district for c in place.outward_codes}
    return found.pop() if len(found) == 1 else None

