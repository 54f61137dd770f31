"""Frozen JSON Schemas of every published event version, and the check that keeps them frozen.

Each event type and version has a snapshot in `frozen/` (`forum.feedback.issue_escalated.v1.json`),
generated from its pydantic model. Partners upgrade the kit at their own pace and the streams keep
events for seven years, so a published version may only gain optional fields
(`compatibility.breaking_changes`); anything else is a new major version beside it (see the README,
"Events"). After an additive change, or for a new event or version, refresh the snapshots with

    .venv/bin/python -m forum_shared.events.contracts --write

which writes new and compatible schemas only, and refuses (listing why) when a change breaks one.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from forum_shared.events.contracts.compatibility import breaking_changes
from forum_shared.events.event import Event
from forum_shared.events.registry import EVENT_TYPES

FROZEN = Path(__file__).resolve().parent / "frozen"
REFRESH = ".venv/bin/python -m forum_shared.events.contracts --write"
DIALECT = "https://json-schema.org/draft/2020-12/schema"


def schema_of(event_type: type[Event]) -> dict[str, Any]:
    """The JSON Schema of an event version's body, as its snapshot keeps it."""
    return {"$schema": DIALECT, **event_type.model_json_schema()}


def snapshot_path(type_name: str, folder: Path = FROZEN) -> Path:
    return folder / f"{type_name}.json"


@dataclass
class Check:
    """How the catalogue stands against the frozen schemas."""

    missing: list[str] = field(default_factory=list)  # event versions with no snapshot yet
    breaking: list[str] = field(default_factory=list)  # why a published version would break
    outdated: list[str] = field(default_factory=list)  # compatible changes not yet frozen

    def __str__(self) -> str:
        lines = [f"breaks a published event: {problem}" for problem in self.breaking]
        lines += [f"no frozen schema for {name}: run {REFRESH}" for name in self.missing]
        lines += [f"frozen schema of {name} is out of date (an additive change): run {REFRESH}"
                  for name in self.outdated]
        return "\n".join(lines)


def check(catalogue: Mapping[str, type[Event]] = EVENT_TYPES, folder: Path = FROZEN) -> Check:
    """Compare each event version of `catalogue` with its snapshot in `folder`."""
    result = Check()
    for type_name, event_type in catalogue.items():
        path = snapshot_path(type_name, folder)
        if not path.exists():
            result.missing.append(type_name)
            continue
        published = json.loads(path.read_text())
        current = schema_of(event_type)
        problems = breaking_changes(published, current)
        result.breaking += [f"{type_name} {problem}" for problem in problems]
        if not problems and published != current:
            result.outdated.append(type_name)
    for path in sorted(folder.glob("*.json")):
        if path.stem not in catalogue:
            result.breaking.append(
                f"{path.stem} is frozen but no longer in the catalogue: a published version stays while "
                "the streams keep its events"
            )
    return result


def write(catalogue: Mapping[str, type[Event]] = EVENT_TYPES, folder: Path = FROZEN) -> Check:
    """Freeze new event versions and compatible changes; write nothing if any change breaks a
    published version. Returns the check made before writing."""
    result = check(catalogue, folder)
    if not result.breaking:
        for type_name in result.missing + result.outdated:
            text = json.dumps(schema_of(catalogue[type_name]), indent=2, ensure_ascii=False)
            snapshot_path(type_name, folder).write_text(text + "\n")
    return result
