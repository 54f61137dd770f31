"""The load generator, run as a process of its own (`python -m benchmarks.loadgen '<json spec>'`) so
the client never shares the server's CPU time, nor the benchmark's. It prints one JSON line.

Its HTTP client is a few lines of HTTP/1.1 over asyncio streams (keep-alive, one connection per
request in flight): about 70 µs of CPU per request against httpx's 1 ms on the 2-core development
machine, so the client takes as little as it can from the server it measures.

    closed  `concurrency` requests in flight for `seconds` after `warmup`: requests/s, p50/p99,
            statuses (every completion inside the window counts; non-2xx and failures are errors)
    open    requests sent at `rate` per second whatever the answers (open loop: latency counts
            from when a request was due, so a slow server cannot hide its queue), while
            `receivers` (durable JetStream consumers) note when each one's event arrives:
            per receiver, p50/p99 from due to received, and how many never arrived (the
            first `warmup` seconds of requests are sent at the same rate, and not counted)
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import sys
import time
from collections import Counter
from typing import Any
from urllib.parse import urlsplit

from benchmarks.common import percentile
from forum_shared.tasks import stop_if_cancelled


class Http:
    """One keep-alive HTTP/1.1 connection (reopened when the server closes it)."""

    def __init__(self, url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or 80
        self.headers = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def request(self, method: str, path: str, body: bytes | None = None) -> tuple[int, bytes]:
        head = f"{method} {path} HTTP/1.1\r\nHost: {self.host}:{self.port}\r\n{self.headers}"
        if body is not None:
            head += f"Content-Type: application/json\r\nContent-Length: {len(body)}\r\n"
        message = head.encode("latin-1") + b"\r\n" + (body or b"")
        reused = self.writer is not None
        try:
            return await self._exchange(message)
        except (asyncio.IncompleteReadError, ConnectionError):
            if not reused:
                raise
        # The server closed a kept-alive connection while it was idle (uvicorn does after 5 s):
        # nothing was answered, so send it again on a new one.
        return await self._exchange(message)

    async def _exchange(self, message: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port, limit=1 << 22)
        try:
            self.writer.write(message)
            return await self._response()
        except BaseException:
            self.close()
            raise

    async def _response(self) -> tuple[int, bytes]:
        assert self.reader is not None
        lines = (await self.reader.readuntil(b"\r\n\r\n")).decode("latin-1").split("\r\n")
        status = int(lines[0].split(" ", 2)[1])
        length: int | None = None
        chunked = close = False
        for line in lines[1:]:
            name, _, value = line.partition(":")
            name, value = name.strip().lower(), value.strip().lower()
            if name == "content-length":
                length = int(value)
            elif name == "transfer-encoding" and "chunked" in value:
                chunked = True
            elif name == "connection" and value == "close":
                close = True
        if chunked:
            body = b""
            while size := int((await self.reader.readline()).split(b";")[0], 16):
                body += (await self.reader.readexactly(size + 2))[:-2]
            await self.reader.readline()
        elif length is not None:
            body = await self.reader.readexactly(length)
        elif status in (204, 304) or status < 200:
            body = b""
        else:
            body, close = await self.reader.read(), True
        if close:
            self.close()
        return status, body

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


def _summary(latencies: list[float]) -> dict[str, float]:
    return {"p50_ms": percentile(latencies, 50) * 1000, "p95_ms": percentile(latencies, 95) * 1000,
            "p99_ms": percentile(latencies, 99) * 1000, "max_ms": max(latencies, default=float("nan")) * 1000}


# -- closed loop -------------------------------------------------------------------------------
async def closed(spec: dict[str, Any]) -> dict[str, Any]:
    method, path, template = spec.get("method", "POST"), spec["path"], spec.get("body")
    timeout = spec.get("request_timeout", 30)
    start = time.perf_counter()
    measure_from = start + spec.get("warmup", 1.0)
    end = measure_from + spec["seconds"]
    latencies: list[float] = []
    statuses: Counter[int] = Counter()
    numbers = itertools.count()

    async def worker() -> None:
        conn = Http(spec["url"], spec.get("headers"))
        try:
            while (began := time.perf_counter()) < end:
                body = template.replace("{n}", str(next(numbers))).encode() if template is not None else None
                try:
                    async with asyncio.timeout(timeout):
                        status, _ = await conn.request(method, path, body)
                except Exception:  # noqa: BLE001 - a failed request is an error, counted as status 0
                    status = 0
                done = time.perf_counter()
                if measure_from <= done <= end:
                    statuses[status] += 1
                    if 200 <= status < 300:
                        latencies.append(done - began)
        finally:
            conn.close()

    await asyncio.gather(*(worker() for _ in range(spec["concurrency"])))
    count = sum(statuses.values())
    errors = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    return {"requests": count, "ok": len(latencies), "errors": errors, "rps": len(latencies) / spec["seconds"],
            "statuses": {str(k): v for k, v in sorted(statuses.items())}, **_summary(latencies)}


# -- open loop, with receivers -----------------------------------------------------------------
def key_of(data: bytes) -> str | None:
    """Which request an event answers: the feedback it is about (`feedback_ids`, an escalation)
    or its `id` (the baseline's message)."""
    try:
        body = json.loads(data)
    except ValueError:
        return None
    ids = body.get("feedback_ids")
    return ids[0] if ids else body.get("id")


class Receiver:
    """A durable pull consumer fetching one message at a time (it is handed over as soon as it
    is there), noting when each request's event arrives."""

    def __init__(self, spec: dict[str, Any]) -> None:
        self.spec = spec
        self.name = spec["name"]
        self.arrived: dict[str, float] = {}
        self.ready = asyncio.Event()

    async def run(self) -> None:
        import nats

        nc = await nats.connect(self.spec["nats_url"], **self.spec.get("options", {}))
        try:
            js = nc.jetstream(timeout=5)
            sub = await js.pull_subscribe_bind(self.spec["durable"], self.spec["stream"])
            self.ready.set()
            while True:
                stop_if_cancelled()  # nats-py's fetch can turn a cancellation into a timeout
                try:
                    messages = await sub.fetch(batch=self.spec.get("batch", 1), timeout=1)
                except (TimeoutError, nats.errors.TimeoutError):
                    continue
                now = time.perf_counter()
                for msg in messages:
                    key = key_of(msg.data)
                    if key is not None:
                        self.arrived.setdefault(key, now)
                    await msg.ack()
        finally:
            await nc.close()


class GovernorWatch(Receiver):
    """`forum governors watch` itself (`forum_shared.governors.watch`), as a governor runs it."""

    async def run(self) -> None:
        from forum_shared import governors

        def show(envelope: Any) -> None:
            ids = getattr(envelope.data, "feedback_ids", None)
            if ids:
                self.arrived.setdefault(ids[0], time.perf_counter())

        self.ready.set()
        await governors.watch(self.spec["governor"], self.spec["nats_url"], show,
                              connect_options=self.spec.get("options", {}))


async def open_loop(spec: dict[str, Any]) -> dict[str, Any]:
    receivers = [(GovernorWatch if r.get("watch") else Receiver)(r) for r in spec.get("receivers", [])]
    tasks = [asyncio.create_task(r.run()) for r in receivers]
    try:
        async with asyncio.timeout(15):
            while not all(r.ready.is_set() for r in receivers):
                for task in tasks:
                    if task.done():
                        task.result()  # a receiver that could not start says why
                await asyncio.sleep(0.02)
        await asyncio.sleep(spec.get("settle", 0.5))
        due: dict[str, float] = {}
        answered: list[float] = []
        statuses: Counter[int] = Counter()
        idle: list[Http] = []
        template, path = spec["body"], spec["path"]

        async def send(n: int, at: float, counted: bool) -> None:
            conn = idle.pop() if idle else Http(spec["url"], spec.get("headers"))
            try:
                async with asyncio.timeout(30):
                    status, body = await conn.request("POST", path, template.replace("{n}", str(n)).encode())
            except Exception:  # noqa: BLE001 - counted as status 0
                status, body = 0, b""
                conn.close()
            else:
                idle.append(conn)
            if not counted:
                return
            statuses[status] += 1
            if 200 <= status < 300:
                answered.append(time.perf_counter() - at)
                due[json.loads(body)["id"]] = at

        # The first `warmup` seconds' requests are sent at the same rate but not counted.
        rate, total = spec["rate"], int(spec["rate"] * spec["seconds"])
        warm = int(rate * spec.get("warmup", 0))
        start = time.perf_counter() + 0.05
        sending = []
        for n in range(warm + total):
            at = start + n / rate
            await asyncio.sleep(max(0.0, at - time.perf_counter()))
            sending.append(asyncio.create_task(send(n, at, n >= warm)))
        await asyncio.gather(*sending)
        deadline = time.perf_counter() + spec.get("drain", 10)
        while time.perf_counter() < deadline and not all(due.keys() <= r.arrived.keys() for r in receivers):
            await asyncio.sleep(0.02)
        for conn in idle:
            conn.close()
    finally:
        for task in tasks:
            task.cancel()
        for task in tasks:
            with contextlib.suppress(BaseException):
                await task
    errors = sum(n for status, n in statuses.items() if not 200 <= status < 300)
    result: dict[str, Any] = {"sent": total, "errors": errors, "http": _summary(answered), "receivers": {}}
    for receiver in receivers:
        latencies = [receiver.arrived[k] - at for k, at in due.items() if k in receiver.arrived]
        result["receivers"][receiver.name] = {"received": len(latencies), "lost": len(due) - len(latencies),
                                              **_summary(latencies)}
    return result


def main() -> None:
    spec = json.loads(sys.argv[1])
    run = {"closed": closed, "open": open_loop}[spec["mode"]]
    print(json.dumps(asyncio.run(run(spec))), flush=True)


if __name__ == "__main__":
    main()
