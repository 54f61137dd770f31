"""footprint — what the whole forum costs to start and to keep running.

Starts the forum as `make up` does (`python -m forum_shared.cli up --data <new folder> --no-demo`,
on free ports, its own nats-server in the forum's topology) and times it until every service
answers /ready; reads each service's resident memory (VmRSS in /proc/<pid>/status) once idle,
then its peak while a partner's program sends feedback to the feedback service at 16 requests in
flight (with a token made by `forum token create`), as in the intake path.

Baseline: the bare app of `baselines/app.py` (FastAPI + SQLAlchemy, one uvicorn worker): its time
from start to answering, and its memory idle and under the same load.

Target: every service ≤ 120 MB resident, idle and under load.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
from pathlib import Path
from typing import Any

from benchmarks.common import (
    PYTHON,
    ROOT,
    Context,
    Process,
    Row,
    alternate,
    at_most,
    baseline_app,
    children_of,
    command_line,
    compare,
    failed,
    loadgen,
    rss_mb,
    wait_http,
)
from benchmarks.intake import BODY

NAME = "footprint"
SERVICES = ("membership", "meetings", "feedback", "signposting")


async def run(ctx: Context) -> list[Row]:
    try:
        return await _run(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as a row
        return [failed(NAME, "forum up", exc)]


async def _sampling(pids: dict[str, int], peaks: dict[str, float], stop: asyncio.Event) -> None:
    while not stop.is_set():
        for name, pid in pids.items():
            peaks[name] = max(peaks.get(name, 0.0), rss_mb(pid) or 0.0)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.2)


async def _under_load(url: str, path: str, headers: dict[str, str], pids: dict[str, int], seconds: float
                      ) -> dict[str, float]:
    """Peak RSS of each process while the load generator runs for `seconds`."""
    peaks: dict[str, float] = {}
    stop = asyncio.Event()
    sampler = asyncio.create_task(_sampling(pids, peaks, stop))
    try:
        await loadgen({"mode": "closed", "url": url, "path": path, "body": BODY, "headers": headers,
                       "concurrency": 16, "seconds": seconds, "warmup": 0.5}, timeout=seconds + 60)
    finally:
        stop.set()
        await sampler
    return peaks


async def _run(ctx: Context) -> list[Row]:
    from forum_shared.local import free_port

    seconds = ctx.pick(2.5, 1.5)  # of intake load
    settle = 1.0

    async def forum(n: int) -> dict[str, Any]:
        data = ctx.sub(f"{NAME}-{n}") / "var"
        ports = {name: free_port() for name in SERVICES}
        args = [PYTHON, "-m", "forum_shared.cli", "up", "--data", str(data), "--no-demo",
                "--nats-port", str(free_port()), *(f"--{name}-port={port}" for name, port in ports.items())]
        up = Process("forum up", args, dict(os.environ), data.parent / "forum-up.log").start()
        try:
            waits = [wait_http(f"http://127.0.0.1:{port}/ready", up, timeout=120) for port in ports.values()]
            ready = max(await asyncio.gather(*waits))
            pids = {}
            for pid in children_of(up.pid):
                line = command_line(pid)
                name = line[2] if len(line) > 2 and line[1] == "-m" else Path(line[0]).name
                pids[name] = pid
            await asyncio.sleep(settle)
            idle = {name: rss_mb(pid) or 0.0 for name, pid in pids.items()}
            token = await _token(data)
            loaded = await _under_load(f"http://127.0.0.1:{ports['feedback']}", "/partner/feedback",
                                       {"authorization": f"Bearer {token}"}, pids, seconds)
        finally:
            up.stop(signal.SIGINT, timeout=30)
        return {"ready": ready, "idle": idle, "loaded": loaded}

    async def baseline(n: int) -> dict[str, Any]:
        folder = ctx.sub(f"{NAME}-baseline-{n}")
        port = free_port()
        app = baseline_app(f"sqlite+aiosqlite:///{folder / 'baseline.db'}", port, folder / "baseline.log")
        try:
            ready = await wait_http(f"http://127.0.0.1:{port}/health", app)
            await asyncio.sleep(settle)
            idle = rss_mb(app.pid) or 0.0
            loaded = await _under_load(f"http://127.0.0.1:{port}", "/feedback", {}, {"app": app.pid}, seconds)
        finally:
            app.stop()
        return {"ready": ready, "idle": idle, "loaded": loaded["app"]}

    ours, theirs = await alternate(ctx.rounds, forum, baseline)
    nats = "/".join(f"{r['idle'].get('nats-server', 0):.0f}" for r in ours)
    rows = [compare(NAME, "forum up → every service ready", "s", [r["ready"] for r in ours],
                    [r["ready"] for r in theirs], note="baseline: the bare app alone, started to answering")]
    for name in SERVICES:
        rows.append(compare(NAME, f"{name} idle RSS", "MB", [r["idle"].get(name) for r in ours],
                            [r["idle"] for r in theirs], at_most(120, "MB"),
                            note=f"nats-server idle {nats} MB" if name == "membership" else ""))
    for name in SERVICES:
        rows.append(compare(NAME, f"{name} peak RSS, intake load", "MB", [r["loaded"].get(name) for r in ours],
                            [r["loaded"] for r in theirs], at_most(120, "MB"),
                            note="feedback receives the load; the others its events" if name == "membership" else ""))
    return rows


async def _token(data: Path) -> str:
    """A partner's token, made as an operator makes one: `forum token create`."""
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "forum_shared.cli", "token", "create", "--service", "feedback", "--name", "Benchmark",
        "--role", "partner", "--data", str(data), cwd=ROOT, stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), 60)
    except BaseException:
        proc.kill()
        await proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"forum token create failed: {err.decode()[-500:]}")
    return out.decode().strip().splitlines()[-1].strip()
