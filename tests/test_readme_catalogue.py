"""The README's event catalogue is the code's: every event, its owner, who consumes it, what it means."""

import importlib
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
    lines = README.read_text().splitlines()
    start = lines.index("| event | subject | owner | consumers | meaning |")
    end = lines.index("", start)
    table = "\n".join(lines[start:end])
    assert table == catalogue(), "README event catalogue is out of date; replace it with:\n\n" + catalogue()


def test_each_service_consumes_exactly_what_the_catalogue_says():
    """NATS accounts export to each consumer exactly what the catalogue says it consumes
    (`Event.consumed_by`); a handler for anything else would never receive it."""
    from forum_shared.streams import consumed_events

    for name in NAMES:
        handled = {c.event_type for c in importlib.import_module(f"{name}.consumers").consumers}
        assert handled == set(consumed_events(name)), name
    assert set(WATCHED) == set(consumed_events("governors"))


def free_text_table() -> str:
    lines = ["| event | field | why it carries free text |", "|---|---|---|"]
    for cls in EVENT_TYPES.values():
        for name, why in cls.free_text.items():
            lines.append(f"| `{cls.__name__}` | `{name}` | {why} |")
    return "\n".join(lines)


def test_the_readme_lists_every_free_text_field_of_every_event_and_why():
    lines = README.read_text().splitlines()
    start = lines.index("| event | field | why it carries free text |")
    table = "\n".join(lines[start:lines.index("", start)])
    assert table == free_text_table(), "README free-text list is out of date; replace it with:\n\n" + free_text_table()
