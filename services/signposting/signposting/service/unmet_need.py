"""Unmet need: staff record that a search for someone found nothing in the directory.

Recorded only when staff ask, by a POST (the button on the signposting page's results, with its
CSRF token, or a program's staff token), never by the search itself, so following a link can
never add to the report. Searches by anyone else are never recorded: the report the forum acts on
cannot be inflated by repeating a search. Nothing personal is kept: the postcode district, the
needs, and the words unless they look like contact details.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from forum_shared.db import Database
from forum_shared.errors import Invalid, RuleBroken
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from signposting import domain
from signposting.domain import ServiceQuery, ServiceStatus
from signposting.records import UnmetSearch
from signposting.schemas.signposting import UnmetSearchCreate
from signposting.store import directory, signposting
from signposting.store.search import find_services as search

LONGEST_WORDS = 200


def search_of(data: UnmetSearchCreate) -> ServiceQuery:
    """The search of services people can use now that `data` describes."""
    return ServiceQuery(
        search=data.search or None,
        taxonomy_term_ids=tuple(dict.fromkeys(str(t) for t in data.taxonomy_term_ids)),
        postcode=data.postcode or None,
        area=data.area or None,
        status=ServiceStatus.ACTIVE.value,
        per_page=1,
    )


def unmet_search(query: ServiceQuery, record_id: str, at: datetime) -> UnmetSearch:
    """What is kept of a search that found nothing: the district, the needs, and the words unless
    they look like contact details."""
    words = " ".join(query.words)[:LONGEST_WORDS] or None
    if words and domain.personal_detail_in(words):
        words = None
    return UnmetSearch(
        record_id, at, domain.anonymous_area(query.postcode or query.area), sorted(set(query.taxonomy_term_ids)), words
    )


async def record_unmet_search(db: Database, actor: Principal, data: UnmetSearchCreate) -> UnmetSearch:
    """Record that staff searched for what `data` describes and the directory had nothing.

    `RuleBroken` if it names no need or place, or if the search finds a service after all (then
    it is a signposting to record, with no services if none fitted); `Invalid` for a need the
    directory does not hold or a place outside the county.
    """
    query = search_of(data)
    if not query.about_a_need:
        raise RuleBroken("Say what was needed or where: words, a need, a postcode or an area.")
    async with unit_of_work(db, actor, "signposting.unmet_need_recorded") as work:
        if query.taxonomy_term_ids:
            known = await directory.known_ids(work.session, "taxonomy term", query.taxonomy_term_ids)
            unknown = [t for t in query.taxonomy_term_ids if t not in known]
            if unknown:
                raise Invalid(f"taxonomy_term_ids: there is no need with id {', '.join(unknown)} in the directory.")
        found = await search(work.session, query)
        if found.total:
            services = f"{found.total} service{'s' if found.total != 1 else ''}"
            raise RuleBroken(
                f"This search finds {services}, so it is not unmet need. If none of them fit, "
                "record a signposting with no services suggested."
            )
        record = unmet_search(query, str(uuid.uuid4()), datetime.now(UTC))
        await signposting.add_unmet_search(work.session, record)
        work.audit("signposting.unmet_need_recorded", f"unmet_search:{record.id}")
        return record
