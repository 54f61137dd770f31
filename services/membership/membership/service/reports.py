"""Counts for the forum's diversity reporting, built so that no individual can be picked out."""

from __future__ import annotations

from collections import Counter

from forum_shared.db import Database
from membership import domain
from membership.records import DiversityReport
from membership.store import member_queries

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


async def diversity(db: Database) -> DiversityReport:
    """Current members by area and by connection, with small counts hidden."""
    async with db.read() as session:
        rows = await member_queries.current_areas_and_connections(session)
    by_area: Counter[str] = Counter()
    labels: dict[str, str] = {}
    by_connection: Counter[str] = Counter()
    suggested = set(domain.SUGGESTED_CONNECTIONS)
    for area, connections in rows:
        key = domain.area_key(area)
        if key is None or area is None:
            by_area[NOT_GIVEN] += 1
        else:
            by_area[labels.setdefault(key, domain.area_label(area))] += 1
        given = set(connections)
        for connection in given & suggested:
            by_connection[connection] += 1
        if given - suggested:
            by_connection[OWN_WORDS] += 1
        if not given:
            by_connection[NOT_GIVEN] += 1
    return DiversityReport(
        small_count_threshold=domain.SMALL_COUNT,
        note=NOTE,
        members=domain.safe_total(len(rows)),
        by_area=tuple(domain.safe_counts(dict(by_area))),
        by_connection=tuple(domain.safe_counts(dict(by_connection))),
    )
