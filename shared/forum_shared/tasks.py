"""Background work inside a service: periodic checks (overdue escalations, meeting reminders)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from forum_shared.logs import get_logger

log = get_logger("forum.tasks")


def stop_if_cancelled() -> None:
    """Stop a long-running loop whose task was asked to stop. On Python 3.11 a library's
    `asyncio.wait_for` can swallow a cancellation (or turn it into an ordinary error); the request
    is still counted by `Task.cancelling()`, so loops call this on every round."""
    task = asyncio.current_task()
    if task is not None and task.cancelling():
        raise asyncio.CancelledError


@dataclass(frozen=True)
class Periodic:
    """Run `check()` every `seconds` while the service runs. A failure is logged and retried next
    time; the check itself must be safe to run twice (e.g. from two replicas)."""

    name: str
    seconds: float
    check: Callable[[], Awaitable[object]]

    async def run(self) -> None:
        while True:
            stop_if_cancelled()
            try:
                await self.check()
            except Exception as exc:  # noqa: BLE001 - a check that fails now is tried again later
                stop_if_cancelled()
                log.warning("periodic check failed; will retry", check=self.name, error=str(exc))
            await asyncio.sleep(self.seconds)


async def cancel_all(tasks: list[asyncio.Task[Any]], patience: float = 15.0) -> None:
    """Cancel tasks and wait until each has really stopped, cancelling again if one ignored it
    (see `stop_if_cancelled`); after `patience` seconds a task still running is reported."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + patience
    for task in tasks:
        while not task.done() and loop.time() < deadline:
            task.cancel()
            await asyncio.wait({task}, timeout=0.5)
        if not task.done():
            log.error("background task did not stop", task=task.get_name())
