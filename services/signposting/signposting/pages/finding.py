"""Searching the directory from a page: the same search the Open Referral UK API uses, read from a
simple form (where, need, words) and shown in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import Request

from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.identity.principal import Principal
from forum_shared.ui import Form, Pagination
from forum_shared.ui.pagination import page_number
from signposting import domain
from signposting.domain import ServiceQuery
from signposting.pages.present import summary
from signposting.records import CommunityGroup
from signposting.service import community_groups, finding, needs

PER_PAGE = 10


@dataclass
class Search:
    form: Form
    query: ServiceQuery | None = None
    results: list[dict[str, Any]] = field(default_factory=list)
    groups: list[CommunityGroup] = field(default_factory=list)
    total: int = 0
    page: Pagination | None = None

    @property
    def asked(self) -> bool:
        return self.query is not None


async def need_options(db: Database) -> list[tuple[str, str]]:
    """Needs to choose from, a need's narrower needs listed under it."""
    return [(choice.id, choice.label) for choice in await needs.need_choices(db)]


def read_search(request: Request) -> tuple[Form, ServiceQuery | None]:
    """The search form's values and the query they make, or None if nothing was asked."""
    params = request.query_params
    values = {name: (params.get(name) or "").strip()[:200] for name in ("where", "need", "words")}
    form = Form(values)
    where, need, words = values["where"], values["need"], values["words"]
    if not (where or need or words):
        return form, None
    postcode = where if where and domain.is_postcode(where) else None
    query = ServiceQuery(
        search=words or None, taxonomy_term_ids=(need,) if need else (), status=domain.ServiceStatus.ACTIVE.value,
        postcode=postcode, area=where if where and postcode is None else None,
        page=page_number(params.get("page"), most=9_999), per_page=PER_PAGE,
    )
    return form, query


async def run_search(request: Request, db: Database, searcher: Principal | None = None) -> Search:
    """The search the page's address asks for; a search by `searcher` (staff signposting someone)
    that finds nothing counts as unmet need."""
    form, query = read_search(request)
    found = Search(form, query)
    if query is None:
        return found
    try:
        result = await finding.find_services(db, query, searcher=searcher, in_full=True)
    except Invalid as exc:
        message = exc.message.split(": ", 1)[-1].rstrip(".")
        form.add_error(
            "where",
            f"Enter a postcode district or town in Cambridgeshire or Peterborough, like PE1 or Wisbech ({message})",
        )
        return found
    found.results = [summary({**s, "distance": result.distances.get(s["id"])}) for s in result.services]
    found.total = result.total
    found.page = Pagination.from_request(request, result.total, size=PER_PAGE)
    if query.page == 1 and (query.postcode or query.area or query.words) and not query.taxonomy_term_ids:
        shown = {r["organization_id"] for r in found.results}
        groups = await community_groups.find_community_groups(db, query.postcode or query.area, query.search)
        found.groups = [g for g in groups if g.id not in shown]
    return found
