"""Counts for the forum's diversity reporting, built so that no individual can be picked out."""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from membership import domain
from membership.store import members

NOT_GIVEN = "Not given"
OWN_WORDS = "Described in their own words"

NOTE = (
    f"Counts of current members. Any count below {domain.SMALL_COUNT} is shown as "
    f"'{domain.SUPPRESSED}', and when only one count in a list would be hidden the next smallest is "
    "hidden too, so a hidden number cannot be worked out from the total. Postcodes are counted by "
    "postcode district (e.g. PE13), and self-described connections are counted together, never by "
    "their wording. A member may give several connections, so those counts can add up to more than "
    "the total."
)


async def diversity(session: AsyncSession) -> dict:
    rows = (
        await session.execute(
            select(members.c.area, members.c.connections).where(members.c.status == "active")
        )
    ).all()
    by_area: Counter[str] = Counter()
    labels: dict[str, str] = {}
    by_connection: Counter[str] = Counter()
    suggested = set(domain.SUGGESTED_CONNECTIONS)
    for row in rows:
        key = domain.area_key(row.area)
        if key is None:
            by_area[NOT_GIVEN] += 1
        else:
            label = labels.setdefault(key, domain.area_label(row.area))
            by_area[label] += 1
        given = set(row.connections or [])
        for connection in given & suggested:
            by_connection[connection] += 1
        if given - suggested:
            by_connection[OWN_WORDS] += 1
        if not given:
            by_connection[NOT_GIVEN] += 1
    return {
        "small_count_threshold": domain.SMALL_COUNT,
        "note": NOTE,
        "members": asdict(domain.safe_total(len(rows))),
        "by_area": [asdict(r) for r in domain.safe_counts(dict(by_area))],
        "by_connection": [asdict(r) for r in domain.safe_counts(dict(by_connection))],
    }
