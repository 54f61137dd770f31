"""The README's event catalogue is the code's: every event, its owner, who consumes it, what it means."""

import importlib
import re
from pathlib import Path

from forum_shared.events import EVENT_TYPES
from forum_shared.governors import WATCHED

from .services import NAMES

README = Path(__file__).resolve().parents[1] / "README.md"


def catalogue() -> str:
    consumers: dict[str, list[str]] = {}
    for name in NAMES:
        for consumer in importlib.import_module(f"{name}.consumers").consumers:
            consumers.setdefault(consumer.event_type.type_name(), []).append(name)
    for event_type in WATCHED:
        consumers.setdefault(event_type.type_name(), []).append("governors' watch")
    lines = ["| event | subject | owner | consumers | meaning |", "|---|---|---|---|---|"]
    for type_name, cls in EVENT_TYPES.items():
        meaning = " ".join((cls.__doc__ or "").split())
        who = ", ".join(sorted(set(consumers.get(type_name, [])))) or "—"
        lines.append(f"| `{cls.__name__}` | `{cls.subject()}` | {cls.owner} | {who} | {meaning} |")
    return "\n".join(lines)


def test_the_readme_event_catalogue_matches_the_code():
    text = README.read_text()
    table = "\n".join(line for line in text.splitlines() if re.match(r"^\| (`|event \|)|^\|---\|---\|---\|---\|---\|", line))
    assert table == catalogue(), "README event catalogue is out of date; replace it with:\n\n" + catalogue()
