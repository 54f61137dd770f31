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
    renderer = (
        structlog.processors.JSONRenderer()
        if fmt == "json"
        else structlog.dev.ConsoleRenderer(colors=sys.stderr.isatty())
    )
    structlog.configure(
        processors=[
            structlog.contextvars.merge_contextvars,
            structlog.processors.add_log_level,
            structlog.processors.TimeStamper(fmt="iso", utc=True),
            renderer,
        ],
        wrapper_class=structlog.make_filtering_bound_logger(logging.getLevelName(level.upper())),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
        cache_logger_on_first_use=False,
    )


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

