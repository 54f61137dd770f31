"""Whether a new JSON Schema of an event version can replace its published one.

Within a major version an event may only grow by optional fields. Both directions matter: a
partner's consumer still on the published contract must read what the owner publishes now, and
a consumer on the new contract must read the events the streams keep for seven years. So every
field keeps its name, its type and exactly its values (an enum that gains a value is as breaking
as one that loses one: a consumer on the published contract refuses the new value), whether it is
required stays as it was, and a new field is optional. Titles, descriptions and defaults are
documentation (producers always send every field) and may change.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

Schema = Mapping[str, Any]

# Keywords that describe a value without limiting it.
ANNOTATIONS = frozenset({"title", "description", "default", "examples", "$schema", "$comment", "deprecated"})
# Keywords compared by walking into them rather than as a whole.
STRUCTURE = frozenset({"type", "properties", "required", "items", "additionalProperties", "anyOf", "oneOf",
                       "$ref", "$defs"})
UPPER_BOUNDS = frozenset({"maxLength", "maximum", "exclusiveMaximum", "maxItems", "maxProperties"})
LOWER_BOUNDS = frozenset({"minLength", "minimum", "exclusiveMinimum", "minItems", "minProperties"})


def breaking_changes(published: Schema, current: Schema) -> list[str]:
    """Why `current` cannot replace `published` within the same major version; empty if it can."""
    return _compare(published, current, published, current, "", set())


def _compare(
    old: Schema, new: Schema, old_root: Schema, new_root: Schema, where: str, seen: set[tuple[str, str]]
) -> list[str]:
    refs = (old.get("$ref", ""), new.get("$ref", ""))
    if any(refs):
        if refs in seen:  # a recursive model, already being compared
            return []
        seen = seen | {refs}
    old, new = _resolve(old, old_root), _resolve(new, new_root)
    old_branches, new_branches = _branches(old), _branches(new)
    if len(old_branches) > 1 or len(new_branches) > 1:
        return _compare_branches(old_branches, new_branches, old_root, new_root, where, seen)
    if _kind(old) != _kind(new):
        return [f"{where or 'the event'}: changed type from {_kind(old)} to {_kind(new)}"]
    problems = [
        _constraint_change(where, key, old.get(key), new.get(key))
        for key in sorted((old.keys() | new.keys()) - ANNOTATIONS - STRUCTURE)
        if old.get(key) != new.get(key)
    ]
    if "properties" in old or "properties" in new:
        problems += _compare_objects(old, new, old_root, new_root, where, seen)
    for key, suffix in (("items", "[]"), ("additionalProperties", "{}")):
        old_part, new_part = old.get(key), new.get(key)
        if isinstance(old_part, Mapping) and isinstance(new_part, Mapping):
            problems += _compare(old_part, new_part, old_root, new_root, where + suffix, seen)
        elif old_part != new_part:
            problems.append(f"{where or 'the event'}: changed {key} from {_show(old_part)} to {_show(new_part)}")
    return problems


def _compare_objects(
    old: Schema, new: Schema, old_root: Schema, new_root: Schema, where: str, seen: set[tuple[str, str]]
) -> list[str]:
    problems: list[str] = []
    old_fields, new_fields = old.get("properties", {}), new.get("properties", {})
    old_required, new_required = set(old.get("required", ())), set(new.get("required", ()))
    prefix = f"{where}." if where else ""
    for name in old_fields:
        field = prefix + name
        if name not in new_fields:
            problems.append(f"{field}: removed")
            continue
        if name in new_required and name not in old_required:
            problems.append(f"{field}: made required (events already published may lack it)")
        elif name in old_required and name not in new_required:
            problems.append(f"{field}: no longer required (consumers of the published contract need it)")
        problems += _compare(old_fields[name], new_fields[name], old_root, new_root, field, seen)
    for name in new_fields.keys() - old_fields.keys():
        if name in new_required:
            problems.append(f"{prefix}{name}: added as a required field (events already published lack it)")
    return problems


def _compare_branches(
    old: list[Schema], new: list[Schema], old_root: Schema, new_root: Schema, where: str, seen: set[tuple[str, str]]
) -> list[str]:
    """`anyOf`: each kind of value (string, null …) the field accepted it still accepts, and no other."""
    old_kinds = {_kind(_resolve(b, old_root)): b for b in old}
    new_kinds = {_kind(_resolve(b, new_root)): b for b in new}
    problems = [f"{where}: narrowed, no longer accepts {kind}" for kind in old_kinds if kind not in new_kinds]
    problems += [
        f"{where}: widened, now also accepts {kind} (consumers of the published contract refuse it)"
        for kind in new_kinds
        if kind not in old_kinds
    ]
    for kind in old_kinds.keys() & new_kinds.keys():
        problems += _compare(old_kinds[kind], new_kinds[kind], old_root, new_root, where, seen)
    return problems


def _constraint_change(where: str, key: str, old: Any, new: Any) -> str:
    field = where or "the event"
    if key == "enum" and isinstance(old, list) and isinstance(new, list):
        lost = [v for v in old if v not in new]
        if lost:
            return f"{field}: narrowed, enum no longer allows {_show(lost)}"
        gained = [v for v in new if v not in old]
        return f"{field}: widened, enum now allows {_show(gained)} (consumers of the published contract refuse it)"
    narrowed = (
        (key in UPPER_BOUNDS and (old is None or (new is not None and new < old)))
        or (key in LOWER_BOUNDS and (old is None or (new is not None and new > old)))
    )
    if key in UPPER_BOUNDS | LOWER_BOUNDS:
        how = "narrowed" if narrowed else "widened"
        return f"{field}: {how}, {key} changed from {_show(old)} to {_show(new)}"
    return f"{field}: changed {key} from {_show(old)} to {_show(new)}"


def _resolve(schema: Schema, root: Schema) -> Schema:
    """Follow a local `$ref` (`#/$defs/Name`, as pydantic writes nested models and enums), and
    read a `const` (pydantic's one-value `Literal`) as the enum of one value it is."""
    while "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        schema = {**target, **{k: v for k, v in schema.items() if k != "$ref"}}
    if "const" in schema and "enum" not in schema:
        schema = {"enum": [schema["const"]], **{k: v for k, v in schema.items() if k != "const"}}
    return schema


def _branches(schema: Schema) -> list[Schema]:
    branches = schema.get("anyOf") or schema.get("oneOf")
    if not branches:
        return [schema]
    # Keywords beside `anyOf` (pydantic puts only annotations there) apply to every branch.
    shared = {k: v for k, v in schema.items() if k not in ("anyOf", "oneOf")}
    return [{**shared, **branch} for branch in branches]


def _kind(schema: Schema) -> str:
    kind = schema.get("type")
    if kind is None:
        kind = "object" if "properties" in schema else "any value"
    if isinstance(kind, list):
        kind = " or ".join(kind)
    fmt = schema.get("format")
    return f"{kind} ({fmt})" if fmt else str(kind)


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
