"""Searching the directory from a page: the same search the Open Referral UK API uses, read from a
simple form (where, need, words) and shown in plain English. A search only reads."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.text import one_line
from forum_shared.ui import Form, Pagination
from forum_shared.ui.pagination import page_number
from signposting import domain
from signposting.domain import ServiceQuery, total_pages
from signposting.pages.present import summary
from signposting.pages.validation import visible
from signposting.records import CommunityGroup
from signposting.service import community_groups, finding, needs

PER_PAGE = 10
SEARCH_FIELDS = ("where", "need", "words")


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


def search_form(params: Mapping[str, str]) -> Form:
    """The search form's fields, from the page's address or a form posted with them. A field
    holding invisible control characters gets its error (no search needs them)."""
    form = Form({name: (params.get(name) or "").strip()[:200] for name in SEARCH_FIELDS})
    for name in SEARCH_FIELDS:
        try:
            one_line(form.values[name])
        except ValueError as exc:
            form.add_error(name, str(exc))
            form.values[name] = visible(form.values[name])
    return form


def place_of(where: str) -> tuple[str | None, str | None]:
    """Where the person lives, as the search takes it: a postcode (or district), else an area."""
    postcode = where if where and domain.is_postcode(where) else None
    return postcode, (where if where and postcode is None else None)


def place_error(form: Form, exc: Invalid) -> None:
    message = exc.message.split(": ", 1)[-1].rstrip(".")
    form.add_error(
        "where",
        f"Enter a postcode district or town in Cambridgeshire or Peterborough, like PE1 or Wisbech ({message})",
    )


def read_search(params: Mapping[str, str]) -> tuple[Form, ServiceQuery | None]:
    """The search form's values and the query they make, or None if nothing was asked or a field
    needs fixing."""
    form = search_form(params)
    where, need, words = (form.values[name] for name in SEARCH_FIELDS)
    if not form.ok or not (where or need or words):
        return form, None
    postcode, area = place_of(where)
    query = ServiceQuery(
        search=words or None, taxonomy_term_ids=(need,) if need else (), status=domain.ServiceStatus.ACTIVE.value,
        postcode=postcode, area=area, page=page_number(params.get("page"), most=9_999), per_page=PER_PAGE,
    )
    return form, query


async def run_search(db: Database, params: Mapping[str, str], path: str) -> Search:
    """The search `params` ask for (the page's address, or a form posted from its results), with
    links to its other pages at `path`."""
    form, query = read_search(params)
    found = Search(form, query)
    if query is None:
        return found
    try:
        result = await finding.find_services(db, query, in_full=True)
    except Invalid as exc:
        place_error(form, exc)
        return found
    found.results = [summary({**s, "distance": result.distances.get(s["id"])}) for s in result.services]
    found.total = result.total
    kept = tuple((name, form.values[name]) for name in SEARCH_FIELDS if form.values[name])
    found.page = Pagination(min(query.page, total_pages(result.total, PER_PAGE)), PER_PAGE, result.total, kept, path)
    if query.page == 1 and (query.postcode or query.area or query.words) and not query.taxonomy_term_ids:
        shown = {r["organization_id"] for r in found.results}
        groups = await community_groups.find_community_groups(db, query.postcode or query.area, query.search)
        found.groups = [g for g in groups if g.id not in shown]
    return found
