"""Every service has the same shape (the README's "Layout"), so someone who knows one finds
anything in another by the same path; and its routes and pages reach the database only through
its use cases. The import contracts (`make lint`) stop a route importing SQL or tables; this checks
what an import cannot show: a route opening a transaction on the database it was given."""

import ast
from pathlib import Path

import pytest

from .services import NAMES

ROOT = Path(__file__).resolve().parents[1]
# What every service has, by the same name.
LAYOUT = {
    "__init__.py", "__main__.py", "app.py", "config.py", "consumers.py", "demo.py", "domain.py", "records.py",
    "api", "migrations", "pages", "schemas", "service", "store", "templates",
}
# Calls that read or write a database directly.
DATABASE_CALLS = {"transaction", "execute", "scalar", "scalars"}


def package(name: str) -> Path:
    return ROOT / "services" / name / name


@pytest.mark.parametrize("name", NAMES)
def test_every_service_has_the_same_layout(name):
    present = {p.name for p in package(name).iterdir() if p.name != "__pycache__"}
    assert present >= LAYOUT, f"{name} lacks {sorted(LAYOUT - present)}"
    # Route dependencies of its own, where it has any, are in deps.py beside app.py (never api/deps.py).
    assert not (package(name) / "api" / "deps.py").exists()


def _direct_database_calls(source: str, where: str) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            receiver = ast.unparse(node.func.value)
            direct = node.func.attr in DATABASE_CALLS or (node.func.attr == "read" and receiver.endswith("db"))
            if direct:
                found.append(f"{where}:{node.lineno} {receiver}.{node.func.attr}(…)")
    return found


@pytest.mark.parametrize("name", NAMES)
def test_routes_and_pages_reach_the_database_only_through_use_cases(name):
    modules = [p for part in ("api", "pages") for p in (package(name) / part).rglob("*.py")]
    assert modules
    calls = [c for path in modules for c in _direct_database_calls(path.read_text(), str(path.relative_to(ROOT)))]
    assert calls == []


def test_the_check_finds_a_route_that_opens_a_transaction():
    route = ("async def save(db, upload):\n    async with db.transaction() as session:\n"
             "        await session.execute(insert_it)\n    await upload.read()\n    return await db.read()\n")
    assert sorted(c.split(" ")[1] for c in _direct_database_calls(route, "route.py")) == [
        "db.read(…)", "db.transaction(…)", "session.execute(…)"]


def _same_request(routes, first=lambda r: r.endpoint.__module__.startswith("forum_shared."),
                  second=lambda r: not r.endpoint.__module__.startswith("forum_shared.")) -> list[tuple[str, str]]:
    """Pairs of a route of the `first` kind (by default, the kit's) and one of the `second` (the
    service's own) that would both answer one request (a method and a path, with each parameter
    of either filled in)."""
    import re

    def filled(path: str) -> str:
        return re.sub(r"\{[^}]+\}", "x1", path)

    ones, others = [r for r in routes if first(r)], [r for r in routes if second(r)]
    return [(k.path_format, s.path_format) for k in ones for s in others if k.methods & s.methods and (
        k.path_regex.match(filled(s.path_format)) or s.path_regex.match(filled(k.path_format)))]


@pytest.mark.parametrize("name", NAMES)
def test_no_kit_route_answers_a_request_a_service_route_answers(name):
    """A service's own routes are tried before the kit's (they get most requests): this keeps that
    order from deciding anything."""
    from forum_shared.ui.problems import operations

    from .test_requests_never_wait_on_threads import _app

    routes = operations(_app(name))
    assert any(r.endpoint.__module__.startswith("forum_shared.") for r in routes)
    assert _same_request(routes) == []


@pytest.mark.parametrize("name", NAMES)
def test_no_page_answers_a_request_a_json_route_before_it_answers(name):
    """A service's JSON routes are tried before its pages (routing is a larger share of a JSON
    request's time), and no page after them answers a request one of them answers. Membership
    puts its sign-in pages first on purpose (`pages.before_api`): "sign-in" is not a member's id."""
    from forum_shared.ui.problems import operations

    from .test_requests_never_wait_on_threads import _app

    routes = operations(_app(name))
    order = {id(route): n for n, route in enumerate(routes)}
    json_routes = [r for r in routes if r.endpoint.__module__.startswith(f"{name}.api.")]
    first_json = min(order[id(r)] for r in json_routes)
    pages = [r for r in routes if r.endpoint.__module__.startswith(f"{name}.pages.")]
    ahead = {r.endpoint.__module__ for r in pages if order[id(r)] < first_json}
    assert pages and ahead == ({"membership.pages.sign_in"} if name == "membership" else set())
    after = {id(r) for r in pages if order[id(r)] > first_json}
    assert _same_request(routes, json_routes.__contains__, lambda r: id(r) in after) == []


def test_the_check_finds_a_service_route_that_shadows_a_kit_one():
    from fastapi import FastAPI

    from forum_shared.ui import routes_accounts
    from forum_shared.ui.problems import operations

    async def mine(account_id: str) -> dict:
        return {}

    app = FastAPI()
    app.include_router(routes_accounts.api)
    app.patch("/accounts/{account_id}")(mine)
    assert ("/accounts/{account_id}", "/accounts/{account_id}") in _same_request(operations(app))
