"""Governors' escalation list, live: new escalations reach open browsers as server-sent events.

The feedback service's own `IssueEscalated` events come back to it over NATS (a core
subscription on the service's connection, no durable consumer: a browser that is not connected
has nothing to catch up on; its page is fetched fresh). Each browser stream has a small queue of
its own, so a slow or closed browser never holds up the others: when its queue is full it is
dropped and its EventSource reconnects.

Streams end by themselves every so often (a stopping server must not wait on them), and the
browser reconnects with the id of the last event it saw (`<run>-<number>`). The recent events are
kept here, so what was raised in between is sent then; if they do not reach back that far (or
the browser was talking to another run of the service) it is told to `refresh` the whole list.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import uuid
from collections import deque
from collections.abc import AsyncIterator

from forum_shared.events.base import Envelope
from forum_shared.events.event import InvalidEnvelope
from forum_shared.events.feedback import IssueEscalated
from forum_shared.logs import get_logger

log = get_logger("feedback.live")

QUEUE_SIZE = 16
REMEMBERED = 50  # recent events kept for browsers that reconnect
CLOSE = object()  # put in a queue to end that stream


class EscalationFeed:
    """Fan-out of new escalations to the browsers listening."""

    def __init__(self, *, stream_seconds: float, heartbeat_seconds: float) -> None:
        self.stream_seconds = stream_seconds
        self.heartbeat_seconds = heartbeat_seconds
        self.listeners: set[asyncio.Queue] = set()
        self.run = uuid.uuid4().hex[:8]
        self.number = 0
        self.recent: deque[tuple[int, dict]] = deque(maxlen=REMEMBERED)
        self.subject = IssueEscalated.subject()
        self._subscription = None
        self._subscribing: asyncio.Task | None = None

    # -- NATS side -----------------------------------------------------------------------
    def connected(self, messaging) -> None:
        """Called when the service's NATS connection is up (again); subscribes once: the NATS
        client itself re-subscribes after a reconnect."""
        if self._subscription is None and self._subscribing is None:
            self._subscribing = asyncio.get_running_loop().create_task(self._subscribe(messaging))

    async def _subscribe(self, messaging) -> None:
        try:
            nc = messaging.nats
            self._subscription = await nc.subscribe(self.subject, cb=self._received)
        except Exception as exc:  # noqa: BLE001 - the list still works; it just is not live
            log.warning("could not follow new escalations", error=str(exc) or type(exc).__name__)
        finally:
            self._subscribing = None

    async def _received(self, msg) -> None:
        try:
            event = Envelope.decode(dict(msg.headers or {}), msg.data).data
        except InvalidEnvelope:
            return
        if isinstance(event, IssueEscalated):
            self.publish(
                {
                    "id": event.escalation_id,
                    "summary": event.summary,
                    "respond_by": event.respond_by.isoformat(),
                }
            )

    async def stop(self) -> None:
        """End every stream and stop listening (the service is stopping)."""
        for queue in list(self.listeners):
            self._close(queue)
        if self._subscribing is not None:
            self._subscribing.cancel()
            with contextlib.suppress(asyncio.CancelledError, Exception):
                await self._subscribing
        if self._subscription is not None:
            with contextlib.suppress(Exception):
                await self._subscription.unsubscribe()
            self._subscription = None

    # -- browser side --------------------------------------------------------------------
    @property
    def last_id(self) -> str:
        """The id of the newest event, for a page to start its stream after."""
        return f"{self.run}-{self.number}"

    def publish(self, message: dict) -> None:
        """Hand a message to every listener without waiting for any of them."""
        self.number += 1
        numbered = (self.number, message)
        self.recent.append(numbered)
        for queue in list(self.listeners):
            try:
                queue.put_nowait(numbered)
            except asyncio.QueueFull:
                # Too slow to keep up: end its stream; the browser reconnects and re-reads.
                self._close(queue)

    def _close(self, queue: asyncio.Queue) -> None:
        self.listeners.discard(queue)
        with contextlib.suppress(asyncio.QueueEmpty):
            while queue.full():
                queue.get_nowait()
        queue.put_nowait(CLOSE)

    def _missed(self, after: str | None) -> list[tuple[int, dict]] | None:
        """Events since `after` (an event id), or None if they cannot be told."""
        if not after:
            return []
        run, _, number = after.partition("-")
        if run != self.run or not (number.isascii() and number.isdigit()) or int(number) > self.number:
            return None
        seen = int(number)
        oldest = self.recent[0][0] if self.recent else self.number + 1
        if seen + 1 < oldest:
            return None
        return [(n, m) for n, m in self.recent if n > seen]

    async def stream(self, after: str | None = None) -> AsyncIterator[str]:
        """One browser's stream of server-sent events, starting after event id `after`. It ends
        by itself after `stream_seconds` (the browser reconnects at once), so a stopping server
        never waits long for it."""
        queue: asyncio.Queue = asyncio.Queue(QUEUE_SIZE)
        self.listeners.add(queue)
        loop = asyncio.get_running_loop()
        ends_at = loop.time() + self.stream_seconds
        try:
            yield "retry: 2000\n\n"
            missed = self._missed(after)
            if missed is None:
                yield f"event: refresh\nid: {self.last_id}\ndata: {{}}\n\n"
            for number, message in missed or []:
                yield self._event(number, message)
            while (left := ends_at - loop.time()) > 0:
                try:
                    message = await asyncio.wait_for(queue.get(), min(left, self.heartbeat_seconds))
                except TimeoutError:
                    yield ": still here\n\n"  # finds closed browsers, keeps proxies from timing out
                    continue
                if message is CLOSE:
                    return
                yield self._event(*message)
        finally:
            self.listeners.discard(queue)

    def _event(self, number: int, message: dict) -> str:
        return f"event: escalation\nid: {self.run}-{number}\ndata: {json.dumps(message)}\n\n"
