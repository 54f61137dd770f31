"""Every page of every service, as each kind of person reaches it by following links from the
start page through a forum filled with the demo data: none fails, and none has a serious or
critical accessibility problem (axe-core, WCAG 2.2 AA)."""

import contextlib
import re
from urllib.parse import urljoin, urlsplit

import pytest

from forum_shared import demo

from ..services import NAMES, start

# Not pages: files to download, the API's own documents, and signing out.
NOT_PAGES = re.compile(
    r"(\.ics|\.csv|\.json|\.zip)$|^/(docs|redoc|openapi|asyncapi|static|sign-out|health|ready)\b|/export"
)
ID = re.compile(r"/[0-9a-f]{8}-[0-9a-f-]{27,}|/\d+(?=/|$)")
MOST_PAGES = 80


def route_of(path: str) -> str:
    """The page's route, ids replaced, so each kind of page is visited once per person."""
    return ID.sub("/{id}", path)


async def crawl(people, page, base: str, name: str, checked: set[str]) -> list[str]:
    """Follow same-site links breadth first from `/`; returns the routes visited. Each kind of
    page is checked for accessibility once per service (`checked`), by the first person to reach
    it: the pages share their templates, whoever is signed in."""
    queue, seen_routes, visited = ["/"], set(), []
    while queue and len(visited) < MOST_PAGES:
        path = queue.pop(0)
        route = route_of(urlsplit(path).path)
        if route in seen_routes:
            continue
        seen_routes.add(route)
        response = await page.goto(base + path)
        assert response is not None and response.status < 500, f"{name}: {path} answered {response and response.status}"
        if response.status >= 400:
            continue
        visited.append(route)
        if route not in checked:
            checked.add(route)
            await people.check(page, route)
        for href in await page.eval_on_selector_all("a[href]", "links => links.map(a => a.getAttribute('href'))"):
            target = urlsplit(urljoin(base + path, href))
            if f"{target.scheme}://{target.netloc}" != base or NOT_PAGES.search(target.path):
                continue
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return visited


@pytest.fixture
async def forum_with_demo(own_nats_server, database_url):
    # A NATS server of its own, like a newcomer's: no other test's events reach these services.
    async with contextlib.AsyncExitStack() as stack:
        services = {
            name: await stack.enter_async_context(await start(name, own_nats_server, database_url)) for name in NAMES
        }
        urls = {name: await stack.enter_async_context(svc.serve_http()) for name, svc in services.items()}
        databases = {name: svc.kit.settings.database_url for name, svc in services.items()}
        password = await demo.load(urls, databases, report=lambda _line: None)
        yield urls, password


async def test_every_page_each_person_can_reach_works_and_is_accessible(forum_with_demo, people):
    urls, password = forum_with_demo
    reached: dict[str, list[str]] = {}
    for name in NAMES:
        checked: set[str] = set()
        for role in (None, *(p[0] for p in demo.people_for(name))):
            who = role or "public"
            page = await people.new(f"{name}-{who}")
            if role:
                email = next(e for r, e, _ in demo.PEOPLE if r == role)
                await people.sign_in(page, urls[name], email, password)
            reached[f"{name} {who}"] = await crawl(people, page, urls[name], f"{name} {who}", checked)
    # Each kind of person found the pages the forum is for.
    assert "/join" in reached["membership public"]
    assert "/upcoming-meetings/{id}" in reached["meetings public"]
    assert {"/give-feedback", "/you-said-we-did"} <= set(reached["feedback public"])
    assert "/find-a-group" in reached["signposting public"]
    assert "/governors/escalations/{id}" in reached["feedback governor"]
    for name in NAMES:
        staff_pages = [r for r in reached[f"{name} staff"] if r.startswith("/staff/")]
        assert len(staff_pages) >= 3, f"{name}: staff reached only {staff_pages}"
        assert "/admin/tokens" in reached[f"{name} admin"]
        assert not [r for r in reached[f"{name} public"] if r.startswith(("/staff/", "/admin/", "/governors/"))]
