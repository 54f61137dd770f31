"""Helpers for page tests: a person in a browser (cookies, HTML), signed in through the sign-in form."""

from __future__ import annotations

import html
import re
import uuid

import httpx

from forum_shared.testing import TEST_PASSWORD

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_from(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


def visitor(svc) -> httpx.AsyncClient:
    """A member of the public in a browser: nobody signed in, asks for pages."""
    return httpx.AsyncClient(transport=svc.client._transport, base_url=svc.client.base_url, headers=BROWSER)


async def signed_in(svc, role: str) -> httpx.AsyncClient:
    """A person with an account of `role`, signed in through the sign-in page."""
    email = f"{role}-{uuid.uuid4().hex[:8]}@forum.example.org"
    await svc.add_account(email, role, name=f"Test {role.title()}")
    browser = visitor(svc)
    token = csrf_from((await browser.get("/sign-in")).text)
    resp = await browser.post(
        "/sign-in", data={"email": email, "password": TEST_PASSWORD, "next": "/", "csrf_token": token}
    )
    assert resp.status_code == 303, resp.text
    return browser


async def post_form(browser: httpx.AsyncClient, path: str, data: dict, page: str | None = None) -> httpx.Response:
    """Post a form as the page at `page` (default: `path`) would, with its CSRF token.
    A list value is sent as several fields of that name (ticked checkboxes)."""
    token = csrf_from((await browser.get(page or path)).text)
    return await browser.post(path, data={**data, "csrf_token": token})


def errors_in(page: str) -> list[str]:
    """The messages shown beside fields."""
    return [
        html.unescape(re.sub(r"\s+", " ", m).strip())
        for m in re.findall(r'class="forum-error-message"[^>]*>.*?</span>(.*?)</p>', page, re.S)
    ]
