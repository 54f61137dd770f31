"""Every page of every service, as each kind of person reaches it by following links from the
start page through a forum filled with the demo data: none fails, and none has a serious or
critical accessibility problem (axe-core, WCAG 2.2 AA)."""

import contextlib
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import httpx
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


class Links(HTMLParser):
    """The `href` of every link in a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


async def crawl(people, page, base: str, name: str, checked: set[str]) -> list[str]:
    """Follow same-site links breadth first from `/` as the person signed in on `page` (their
    cookies, over HTTP, as their browser would ask for each page); returns the routes visited.
    Each kind of page is opened in the browser and checked for accessibility once per service
    (`checked`), by the first person to reach it: the pages share their templates, whoever is
    signed in."""
    cookies = {c["name"]: c["value"] for c in await page.context.cookies()}
    queue, seen_routes, visited = ["/"], set(), []
    async with httpx.AsyncClient(base_url=base, cookies=cookies, follow_redirects=True,
                                 headers={"accept": "text/html,application/xhtml+xml"}, timeout=30) as http:
        while queue and len(visited) < MOST_PAGES:
            path = queue.pop(0)
            route = route_of(urlsplit(path).path)
            if route in seen_routes:
                continue
            seen_routes.add(route)
            response = await http.get(path)
            assert response.status_code < 500, f"{name}: {path} answered {response.status_code}"
            if response.status_code >= 400:
                continue
            visited.append(route)
            if route not in checked:
                checked.add(route)
                opened = await page.goto(base + path)
                assert opened is not None and opened.status < 400, f"{name}: {path} in the browser"
                await people.check(page, route)
            links = Links()
            links.feed(response.text)
            for href in links.hrefs:
                target = urlsplit(urljoin(str(response.url), href))
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
