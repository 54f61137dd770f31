"""Every event type the forum knows, by CloudEvents type (which is also its subject)."""

from types import ModuleType

from forum_shared.events import feedback, meetings, membership, signposting
from forum_shared.events.event import Event, InvalidEnvelope


def _contracts(module: ModuleType) -> list[type[Event]]:
    # A contract is an Event subclass defined in the module that has fields;
    # the per-owner bases (FeedbackEvent …) have none.
    return [
        cls
        for cls in vars(module).values()
        if isinstance(cls, type)
        and issubclass(cls, Event)
        and cls.__module__ == module.__name__
        and cls.model_fields
    ]


EVENT_TYPES: dict[str, type[Event]] = {
    cls.type_name(): cls
    for module in (membership, meetings, feedback, signposting)
    for cls in _contracts(module)
}


def event_class(type_name: str) -> type[Event]:
    try:
        return EVENT_TYPES[type_name]
    except KeyError:
        raise InvalidEnvelope(f"unknown event type {type_name!r}") from None


def events_of(owner: str) -> list[type[Event]]:
    return [cls for cls in EVENT_TYPES.values() if cls.owner == owner]
