"""Errors for programs: RFC 9457 problem details (`application/problem+json`), the same in every
service, and documented on every operation of its OpenAPI document with each status it can return.

A problem is `{"type", "title", "status", "detail", "instance"}`, plus `errors` (each field that is
wrong and why) when the input was refused. `type` is `about:blank`, so `title` is the status's
name; `detail` is the sentence a person can act on. Pages get the same refusal as a page
(`forum_shared.ui.negotiation`).

Which statuses an operation can answer is worked out from what it is made of, so a new route is
documented without asking:
- 400: its body could not be read (a broken form or multipart body);
- 401 and 403: it needs someone signed in with a role (its dependencies say which, see `may_refuse`),
  and any change may be refused 403 when sent as a form without the site's CSRF token;
- 404: its path names something (`/meetings/{meeting_id}`), or it changes something (its body
  may name something that does not exist);
- 409: it changes something (it may clash with what is there, or with a retry in flight);
- 413: it takes a body (the service's size limit);
- 422: it takes any input;
- 429: it is rate limited (its dependencies say so).
"""

from __future__ import annotations

import http
import re
from collections.abc import Callable
from typing import Any, TypeVar

from fastapi import FastAPI
from fastapi.dependencies.models import Dependant
from fastapi.routing import APIRoute, iter_route_contexts
from pydantic import BaseModel, Field
from starlette.responses import JSONResponse
from starlette.routing import compile_path

PROBLEM_JSON = "application/problem+json"
Dependency = TypeVar("Dependency", bound=Callable[..., Any])
WRITES = {"POST", "PUT", "PATCH", "DELETE"}


class FieldProblem(BaseModel):
    field: str = Field(description="Where the problem is: a field name, a dotted path, or `request`.")
    message: str = Field(description="What is wrong with it, in words a person can act on.")
    source: str | None = Field(default=None, description="In an import: the file or list it is in.")
    row: int | None = Field(default=None, description="In an import: the row, counting from 1.")


class Problem(BaseModel):
    """An RFC 9457 problem detail."""

    type: str = Field(default="about:blank", description="`about:blank`: the status says what kind of problem.")
    title: str = Field(description="The HTTP status's name, e.g. `Not Found`.")
    status: int = Field(description="The HTTP status code.")
    detail: str = Field(description="What went wrong and what to do about it, for a person to read.")
    instance: str = Field(description="The path of the request that had the problem.")
    errors: list[FieldProblem] | None = Field(
        default=None, description="Each part of the input that was refused (422, 400), with why."
    )


class ProblemResponse(JSONResponse):
    media_type = PROBLEM_JSON


def problem(status: int, detail: str, instance: str, errors: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    body: dict[str, Any] = {
        "type": "about:blank",
        "title": http.HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
    }
    if errors is not None:
        body["errors"] = errors
    return body


def may_refuse(*statuses: int) -> Callable[[Dependency], Dependency]:
    """Mark a dependency with the statuses it may answer, so every operation using it documents them."""

    def mark(dependency: Dependency) -> Dependency:
        dependency.may_refuse = statuses  # type: ignore[attr-defined]  # a mark on the function, read by statuses_of
        return dependency

    return mark


DESCRIPTIONS = {
    400: "The body could not be read (for example a broken form or multipart body).",
    401: "Nobody is signed in: sign in, or send an API token as `Authorization: Bearer <token>`.",
    403: "Not allowed for this account's role, or a form sent without this site's CSRF token.",
    404: "There is no such thing (the `detail` says what was looked for).",
    409: "It clashes with what is already there, or the same `Idempotency-Key` is still being answered.",
    413: "The body is larger than this service accepts.",
    422: "The input was refused: `errors` lists each field that is wrong and why, or `detail` says "
    "which of the forum's rules it would break.",
    429: "Too many attempts from this address: `Retry-After` says how many seconds to wait.",
}


def every_route(app: FastAPI) -> list[Any]:
    """Every route of `app`, with those of the routers it included: FastAPI keeps those behind an
    entry of their own in `app.routes`. Each has `path_format`, `methods`, `dependant` and
    `include_in_schema` as the route the app really runs (prefixes and dependencies included)."""
    return list(iter_route_contexts(app.routes))


def operations(app: FastAPI) -> list[Any]:
    """Every JSON API or page route of `app` (not static files or the docs' own routes)."""
    return [route for route in every_route(app) if isinstance(route.original_route, APIRoute)]


def methods_at(app: FastAPI, path: str) -> list[str]:
    """Every method the resource at `path` takes: that of the most specific path that matches it
    (`/members/choices` is not `/members/{member_id}`, though the second would match it too)."""
    found: dict[str, set[str]] = {}
    for route in every_route(app):
        if route.path_format and route.methods and compile_path(route.path_format)[0].match(path):
            found.setdefault(route.path_format, set()).update(route.methods)
    if not found:
        return []

    def specificity(path_format: str) -> tuple[int, int]:
        parameters = path_format.count("{")
        return parameters, -len(re.sub(r"{[^}]*}", "", path_format))

    return sorted(found[min(found, key=specificity)])


def _all(dependant: Dependant) -> list[Dependant]:
    """`dependant` and every dependency under it."""
    return [dependant, *(found for sub in dependant.dependencies for found in _all(sub))]


def statuses_of(route: Any) -> set[int]:
    """Every error status `route` can answer."""
    methods = set(route.methods or ())
    parts = _all(route.dependant)
    takes_input = any(
        part.path_params or part.query_params or part.header_params or part.cookie_params or part.body_params
        for part in parts
    )
    path_params = any(part.path_params for part in parts)
    statuses = {status for part in parts for status in getattr(part.call, "may_refuse", ())}
    if methods & WRITES:  # a change may also name something that does not exist, in its body
        statuses |= {400, 403, 404, 409, 413, 422}
    if path_params:
        statuses.add(404)
    if takes_input:
        statuses.add(422)
    return statuses


def _problem_content(schema_ref: str) -> dict[str, Any]:
    return {PROBLEM_JSON: {"schema": {"$ref": schema_ref}}}


def document_problems(app: FastAPI) -> None:
    """Make `app.openapi()` document every error status of every operation as a problem."""
    plain = app.openapi

    def openapi() -> dict[str, Any]:
        if app.openapi_schema:
            return app.openapi_schema
        schema = plain()
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        components.update(_component_schemas())
        components.pop("HTTPValidationError", None)
        components.pop("ValidationError", None)
        ref = "#/components/schemas/Problem"
        for route in operations(app):
            if not route.include_in_schema:
                continue
            path_item = schema.get("paths", {}).get(route.path_format, {})
            for method in route.methods or ():
                operation = path_item.get(method.lower())
                if operation is None:
                    continue
                responses = operation.setdefault("responses", {})
                for status in sorted(statuses_of(route)):
                    entry = responses.setdefault(str(status), {})
                    entry["description"] = entry.get("description") or DESCRIPTIONS[status]
                    if entry.get("description") == "Validation Error":
                        entry["description"] = DESCRIPTIONS[status]
                    entry["content"] = _problem_content(ref)
                    if status == 429:
                        entry["headers"] = {"Retry-After": {"schema": {"type": "integer", "minimum": 0},
                                                            "description": "Seconds to wait."}}
        app.openapi_schema = schema
        return schema

    app.openapi = openapi  # type: ignore[method-assign]  # FastAPI's documented way to extend its OpenAPI document


def _component_schemas() -> dict[str, Any]:
    schema = Problem.model_json_schema(ref_template="#/components/schemas/{model}")
    definitions = schema.pop("$defs", {})
    return {"Problem": schema, **definitions}
