"""Structured logs. Every line written while handling a request or an event carries its id and
the id of what caused it, so one escalation can be followed across services. No personal data
is ever logged: log ids, never names, contact details or feedback text.
"""

from __future__ import annotations

import contextlib
import logging
import sys
from collections.abc import Iterator
from contextvars import ContextVar

import structlog

# While handling a request or an event: the causation and correlation ids of the events recorded,
# and the fields every log line carries (those ids, and the request's or event's own).
_Cause = tuple[str | None, str | None, dict[str, str | None]]
_cause: ContextVar[_Cause] = ContextVar("forum_cause", default=(None, None, {}))


def configure(level: str = "INFO", fmt: str = "console") -> None:
    """The forum's own logs, and the libraries' (uvicorn, FastStream, nats-py, Alembic, asyncio),
    in one format: JSON lines outside development, one readable line each in development."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    stamped: list[structlog.typing.Processor] = [
        _add_cause,
        structlog.processors.add_log_level,
        structlog.processors.TimeStamper(fmt="iso", utc=True),
    ]
    structlog.configure(
        processors=[*stamped, renderer],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )
    handler = _LibraryLogs(sys.stderr)
    handler.setFormatter(
        structlog.stdlib.ProcessorFormatter(
            foreign_pre_chain=[structlog.stdlib.add_logger_name, *stamped],
            processors=[structlog.stdlib.ProcessorFormatter.remove_processors_meta, renderer],
        )
    )
    root = logging.getLogger()
    root.handlers = [h for h in root.handlers if not isinstance(h, _LibraryLogs)] + [handler]
    # Libraries say what they are doing at INFO (each migration, each connection): only their
    # warnings and errors are the forum's business.
    root.setLevel(max(logging.getLevelName(level.upper()), logging.WARNING))


class _LibraryLogs(logging.StreamHandler):  # type: ignore[type-arg]  # a stream of text, as the base
    """The root logger's handler that writes the libraries' records in the forum's format (one of
    them at a time: configuring again replaces it, and leaves any other handler alone)."""


def get_logger(name: str) -> structlog.typing.FilteringBoundLogger:
    logger: structlog.typing.FilteringBoundLogger = structlog.get_logger(name)
    return logger


@contextlib.contextmanager
def caused_by(cause_id: str | None, correlation_id: str | None, **log_fields: str) -> Iterator[None]:
    """Within this block, recorded events name `cause_id` as their cause, and logs carry the ids
    (and those of any block this one is inside, unless it names them again). One context variable,
    not one for each field: this runs for every request and every event."""
    correlation = correlation_id or cause_id
    fields = {**_cause.get()[2], "causation_id": cause_id, "correlation_id": correlation, **log_fields}
    token = _cause.set((cause_id, correlation, fields))
    try:
        yield
    finally:
        _cause.reset(token)


def current_cause() -> tuple[str | None, str | None]:
    cause, correlation, _fields = _cause.get()
    return cause, correlation


def _add_cause(_logger: object, _method: str, event_dict: structlog.typing.EventDict) -> structlog.typing.EventDict:
    """The processor that puts the ids of what is being handled on each log line (a field the line
    gives itself is kept)."""
    for key, value in _cause.get()[2].items():
        event_dict.setdefault(key, value)
    return event_dict

