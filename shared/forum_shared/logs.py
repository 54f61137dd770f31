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

# (causation id, correlation id) for events recorded while handling a request or an event.
_cause: ContextVar[tuple[str | None, str | None]] = ContextVar("forum_cause", default=(None, None))


def configure(level: str = "INFO", fmt: str = "console") -> None:
    """The forum's own logs, and the libraries' (uvicorn, FastStream, nats-py, Alembic, asyncio),
    in one format: JSON lines outside development, one readable line each in development."""
    renderer: structlog.typing.Processor = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    stamped: list[structlog.typing.Processor] = [
        structlog.contextvars.merge_contextvars,
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
    """Within this block, recorded events name `cause_id` as their cause, and logs carry the ids."""
    token = _cause.set((cause_id, correlation_id or cause_id))
    with structlog.contextvars.bound_contextvars(
        causation_id=cause_id, correlation_id=correlation_id or cause_id, **log_fields
    ):
        try:
            yield
        finally:
            _cause.reset(token)


def current_cause() -> tuple[str | None, str | None]:
    return _cause.get()

