"""Every string a person or program sends to any service goes through the kit's Text or Line type,
which refuses control characters (a NUL byte in a name, say) with a clear 422: JSON bodies, query
words and the models the pages validate their forms with. Passwords, tokens and CSRF fields are
taken exactly as sent. Every date and time sent goes through the kit's Day or Moment, which refuses
years outside 1900–2999 with a 422 (the year 931 would otherwise be stored, then fail as an answer)."""

import ast
import importlib
import inspect
import pkgutil
import typing
from datetime import date
from pathlib import Path

import pydantic
import pytest
from pydantic import BaseModel

from forum_shared import dates
from forum_shared.text import PlainText
from forum_shared.ui.problems import operations

from .services import NAMES

EXACT = ("password", "token", "csrf")
PYDANTIC_DATES = (pydantic.AwareDatetime, pydantic.NaiveDatetime, pydantic.PastDate, pydantic.FutureDate,
                  pydantic.PastDatetime, pydantic.FutureDatetime)


def _models_checked_by_pages(package: str) -> set[type[BaseModel]]:
    """The models `read_form(request, Model)` and `validate_form(Model, …)` are called with."""
    found: set[type[BaseModel]] = set()
    root = importlib.import_module(package)
    for info in pkgutil.walk_packages(root.__path__, f"{package}."):
        module = importlib.import_module(info.name)
        source = inspect.getsource(module)
        for node in ast.walk(ast.parse(source)):
            if isinstance(node, ast.Call) and getattr(node.func, "id", getattr(node.func, "attr", "")) in (
                "read_form", "validate_form"
            ):
                for arg in node.args[:2]:
                    model = getattr(module, getattr(arg, "id", ""), None)
                    if isinstance(model, type) and issubclass(model, BaseModel):
                        found.add(model)
    return found


def _unchecked(annotation, metadata, where: str) -> list[str]:
    if any(isinstance(m, PlainText) for m in metadata):
        return []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _unchecked(inner, [*metadata, *more], where)
    if annotation is str:
        return [where]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [p for name, f in annotation.model_fields.items() if not name.endswith(EXACT) for p in
                _unchecked(f.annotation, f.metadata, f"{where}.{name}")]
    if origin is typing.Literal:
        return []
    return [p for arg in typing.get_args(annotation) for p in _unchecked(arg, [], where)]


def _unbounded_dates(annotation, metadata, where: str) -> list[str]:
    """Dates and times not checked to fall in the forum's years (the kit's Day and Moment)."""
    if any(getattr(m, "func", None) is dates._in_the_forum_s_time for m in metadata):
        return []
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        inner, *more = typing.get_args(annotation)
        return _unbounded_dates(inner, [*metadata, *more], where)
    if isinstance(annotation, type) and (issubclass(annotation, date) or annotation in PYDANTIC_DATES):
        return [where]
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return [p for name, f in annotation.model_fields.items() for p in
                _unbounded_dates(f.annotation, f.metadata, f"{where}.{name}")]
    if origin is typing.Literal:
        return []
    return [p for arg in typing.get_args(annotation) for p in _unbounded_dates(arg, [], where)]


def _everything_sent_to(name: str, check) -> list[str]:
    """`check` over every JSON body, query parameter and page form model of the service."""
    app = importlib.import_module(f"{name}.app").create_app(
        importlib.import_module(f"{name}.config").Settings(database_url=f"sqlite+aiosqlite:///{Path('/nonexistent')}")
    )
    found: list[str] = []
    routes = operations(app)
    assert len(routes) > 40
    for route in routes:
        if route.body_field is not None:
            found += check(route.body_field.field_info.annotation, route.body_field.field_info.metadata,
                           f"{route.path} body")
        for param in route.dependant.query_params:
            if not param.name.endswith(EXACT):
                found += check(param.field_info.annotation, param.field_info.metadata, f"{route.path} ?{param.name}")
    for model in _models_checked_by_pages(name) | _models_checked_by_pages("forum_shared.ui"):
        found += check(model, [], f"form {model.__name__}")
    return sorted(set(found))


@pytest.mark.parametrize("name", NAMES)
def test_every_string_sent_to_a_service_refuses_control_characters(name):
    unchecked = _everything_sent_to(name, _unchecked)
    assert unchecked == [], "\n".join(unchecked)


@pytest.mark.parametrize("name", NAMES)
def test_every_date_and_time_sent_to_a_service_must_fall_in_the_forums_years(name):
    unbounded = _everything_sent_to(name, _unbounded_dates)
    assert unbounded == [], "\n".join(unbounded)
