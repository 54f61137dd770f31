"""Searching the directory from a page: the same search the Open Referral UK API uses, read from a
simple form (where, need, words) and shown in plain English."""

from __future__ import annotations

from dataclasses import dataclass, field

from fastapi import Request
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.errors import Invalid
from forum_shared.ui import Form, Pagination
from forum_shared.ui.pagination import page_number
from signposting import community, domain, hsds
from signposting.pages.present import summary
from signposting.search import ServiceQuery, find_services
from signposting.store import taxonomy_terms

PER_PAGE = 10


@dataclass
class Search:
    form: Form
    query: ServiceQuery | None = None
    results: list[dict] = field(default_factory=list)
    groups: list[dict] = field(default_factory=list)
    total: int = 0
    page: Pagination | None = None

    @property
    def asked(self) -> bool:
        return self.query is not None


async def need_options(session: AsyncSession) -> list[tuple[str, str]]:
    """Needs to choose from, a need's narrower needs listed under it."""
    rows = (await session.execute(
        select(taxonomy_terms.c.id, taxonomy_terms.c.name, taxonomy_terms.c.parent_id).order_by(taxonomy_terms.c.name)
    )).all()
    top = [r for r in rows if r.parent_id is None]
    options = []
    for parent in top:
        options.append((parent.id, parent.name))
        options += [(r.id, f"{parent.name}: {r.name}") for r in rows if r.parent_id == parent.id]
    known = {o[0] for o in options}
    options += [(r.id, r.name) for r in rows if r.id not in known]
    return options


def read_search(request: Request) -> tuple[Form, ServiceQuery | None]:
    """The search form's values and the query they make, or None if nothing was asked."""
    params = request.query_params
    values = {name: (params.get(name) or "").strip()[:200] for name in ("where", "need", "words")}
    form = Form(values)
    where, need, words = values["where"], values["need"], values["words"]
    if not (where or need or words):
        return form, None
    query = ServiceQuery(search=words or None, taxonomy_term_ids=[need] if need else [], status="active")
    if where:
        try:
            domain.outward_code_of(where)
            query.postcode = where
        except ValueError:
            query.area = where
    query.page = page_number(params.get("page"), most=9_999)
    query.per_page = PER_PAGE
    return form, query


async def run_search(request: Request, session: AsyncSession) -> Search:
    form, query = read_search(request)
    found = Search(form, query)
    if query is None:
        return found
    try:
        result = await find_services(session, query)
    except Invalid as exc:
        message = exc.message.split(": ", 1)[-1].rstrip(".")
        form.add_error("where", f"Enter a postcode district or town in Cambridgeshire or Peterborough, like PE1 or Wisbech ({message})")
        return found
    services = await hsds.services_full(session, result.ids)
    for service in services:
        service["distance"] = result.distances.get(service["id"])
    found.results = [summary(s) for s in services]
    found.total = result.total
    found.page = Pagination.from_request(request, result.total, size=PER_PAGE)
    if query.page == 1 and (query.postcode or query.area or query.words) and not query.taxonomy_term_ids:
        shown = {r["organization_id"] for r in found.results}
        groups = await community.find_community_groups(session, query.postcode or query.area, query.search)
        found.groups = [g for g in groups if g["id"] not in shown]
    return found
