"""A request is answered on the event loop from start to finish. FastAPI runs a plain `def`
endpoint or dependency in a worker thread; on a busy service each such hop costs more than the
work it does (handing over, waiting for the thread, and back), so every endpoint and dependency
of every service, the kit's included, is `async def`. Work that really blocks (a spreadsheet, a
calendar) is handed to a thread on purpose, inside the use case that needs it."""

import importlib
import inspect
from pathlib import Path

import pytest
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute

from forum_shared.ui.problems import operations

from .services import NAMES


def _run_in_a_thread(dependant: Dependant, where: str) -> list[str]:
    found = []
    call = dependant.call
    if call is not None and not (inspect.iscoroutinefunction(call) or inspect.isasyncgenfunction(call)
                                 or inspect.iscoroutinefunction(type(call).__call__)):
        found.append(f"{where}: {getattr(call, '__qualname__', call)}")
    for sub in dependant.dependencies:
        found += _run_in_a_thread(sub, where)
    return found


def _app(name: str):
    return importlib.import_module(f"{name}.app").create_app(
        importlib.import_module(f"{name}.config").Settings(database_url=f"sqlite+aiosqlite:///{Path('/nonexistent')}")
    )


@pytest.mark.parametrize("name", NAMES)
def test_no_endpoint_or_dependency_of_a_service_runs_in_a_thread(name):
    routes = operations(_app(name))
    assert len(routes) > 20
    found = sorted({f for route in routes for f in _run_in_a_thread(route.dependant, route.path)})
    assert found == []


def test_the_check_finds_a_plain_def_dependency():
    from typing import Annotated

    from fastapi import Depends, FastAPI

    def settings() -> dict:
        return {}

    async def fine(s: Annotated[dict, Depends(settings)]) -> dict:
        return s

    app = FastAPI()
    app.get("/x")(fine)
    route = next(r for r in app.routes if isinstance(r, APIRoute))
    assert _run_in_a_thread(route.dependant, "/x") == [
        "/x: test_the_check_finds_a_plain_def_dependency.<locals>.settings"]
