"""Browser tests: Playwright driving the machine's Chromium, axe-core checks, screenshots.

    async def test_join(start_membership, people):
        async with start_membership() as svc, svc.serve_http() as url:
            page = await people.new("public")
            await page.goto(f"{url}/join")
            await people.check(page, "join form")      # screenshot + no serious accessibility problems

Chromium is Debian's `chromium` on PATH (or the binary named by FORUM_CHROMIUM); without one
the browser tests are skipped with a message saying how to install it (or fail, when
FORUM_REQUIRE_BROWSER is set, as CI does). With FORUM_TEST_SCREENSHOTS=1 every checked page is
also kept as a picture, in `test-artifacts/screenshots/<test>/` (FORUM_TEST_ARTIFACTS moves
them); without it, only a page that fails its check is (a full-page picture costs about as much
as the check itself).
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
from collections.abc import AsyncIterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from forum_shared.testing import TEST_PASSWORD

if TYPE_CHECKING:
    from playwright.async_api import Browser, BrowserContext, Page

CHROMIUM_ENV = "FORUM_CHROMIUM"
REQUIRE_ENV = "FORUM_REQUIRE_BROWSER"  # set in CI: no Chromium is then a failure, not a skip
ARTIFACTS_ENV = "FORUM_TEST_ARTIFACTS"
SCREENSHOTS_ENV = "FORUM_TEST_SCREENSHOTS"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
# WCAG 2.2 A and AA, as NHS services must meet, plus axe's best practice rules.
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
BLOCKING = ("serious", "critical")


def chromium_path() -> str | None:
    named = os.environ.get(CHROMIUM_ENV)
    if named:
        return named
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        if found := shutil.which(name):
            return found
    return None


def artifacts_folder() -> Path:
    return Path(os.environ.get(ARTIFACTS_ENV, "test-artifacts")).resolve()


def accessibility_problems(violations: list[dict[str, Any]]) -> list[str]:
    """The serious and critical axe violations, each as one readable line."""
    lines = []
    for v in violations:
        if v.get("impact") in BLOCKING:
            where = ", ".join(" ".join(n.get("target", [])) for n in v.get("nodes", [])[:3])
            lines.append(f"{v['impact']}: {v['id']} – {v['help']} (at {where}) {v.get('helpUrl', '')}")
    return lines


class People:
    """Browser windows for the people in a test, each with its own cookies (public, staff, …)."""

    def __init__(self, browser: Browser, test_name: str) -> None:
        self.browser = browser
        self.folder = artifacts_folder() / "screenshots" / re.sub(r"[^\w.-]+", "_", test_name)
        self.count = 0
        self.contexts: list[BrowserContext] = []
        # Who each window is for, and whether it runs JavaScript: for screenshot names and `check`.
        self.windows: dict[Page, tuple[str, bool]] = {}

    async def new(self, who: str = "public", javascript: bool = True) -> Page:
        context = await self.browser.new_context(
            viewport={"width": 1100, "height": 900}, locale="en-GB", java_script_enabled=javascript
        )
        context.set_default_timeout(15_000)
        self.contexts.append(context)
        page = await context.new_page()
        self.windows[page] = (who, javascript)
        return page

    async def check(self, page: Page, name: str) -> list[dict[str, Any]]:
        """Fail on serious or critical accessibility problems, keeping a screenshot of the page
        when it fails (of every page with FORUM_TEST_SCREENSHOTS=1).

        axe-core runs in the page, so a window opened with `javascript=False` is only pictured:
        check the same page with JavaScript on as well.
        """
        from axe_playwright_python.async_playwright import Axe

        self.count += 1
        self.folder.mkdir(parents=True, exist_ok=True)
        who, javascript = self.windows.get(page, ("page", True))
        slug = re.sub(r"[^\w-]+", "-", f"{self.count:02d}-{who}-{name}").strip("-")
        if os.environ.get(SCREENSHOTS_ENV) == "1":
            await self._screenshot(page, self.folder / f"{slug}.png")
        if not javascript:
            return []
        results = await Axe().run(page, options=AXE_OPTIONS)
        violations: list[dict[str, Any]] = results.response.get("violations", [])
        problems = accessibility_problems(violations)
        if problems and os.environ.get(SCREENSHOTS_ENV) != "1":
            await self._screenshot(page, self.folder / f"{slug}.png")
        assert not problems, f"Accessibility problems on '{name}' ({page.url}):\n" + "\n".join(problems)
        return violations

    @staticmethod
    async def _screenshot(page: Page, path: Path) -> None:
        """A picture of the page for people to look at, not a check: Chromium can fail to capture
        one when the machine is busy, so it tries again, and then goes on without it."""
        from playwright.async_api import Error

        for attempt in range(3):
            try:
                await page.screenshot(path=str(path), full_page=True)
                return
            except Error:
                await asyncio.sleep(0.5 * (attempt + 1))

    async def sign_in(self, page: Page, base_url: str, email: str, password: str = TEST_PASSWORD) -> None:
        """Sign in through the sign-in page, as a person would."""
        await page.goto(f"{base_url}/sign-in")
        await page.get_by_label("Email address").fill(email)
        await page.get_by_label("Password").fill(password)
        await page.get_by_role("button", name="Sign in").click()
        await page.wait_for_load_state()
        assert "/sign-in" not in page.url, f"could not sign in as {email}: {await page.inner_text('main')}"

    async def close(self) -> None:
        for context in self.contexts:
            await context.close()


@pytest.fixture
async def browser() -> AsyncIterator[Browser]:
    path = chromium_path()
    if path is None:
        reason = (
            "Browser tests need Chromium: install it (Debian: `apt-get install chromium`) "
            f"or set {CHROMIUM_ENV} to a Chromium or Chrome binary."
        )
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(reason)
        pytest.skip(reason)
    from playwright.async_api import async_playwright

    async with async_playwright() as playwright:
        launched = await playwright.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            await launched.close()


@pytest.fixture
async def people(browser: Browser, request: pytest.FixtureRequest) -> AsyncIterator[People]:
    """Browser windows for the people in a test; see the module's docstring."""
    crowd = People(browser, request.node.nodeid.split("::", 1)[-1])
    try:
        yield crowd
    finally:
        await crowd.close()
