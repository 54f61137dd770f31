"""intake — receiving feedback over real HTTP.

The feedback service runs as `forum up` starts it (`python -m feedback`, its FEEDBACK_* settings
in the environment, its own key on a nats-server in the forum's topology) and a partner's program
POSTs /partner/feedback with an API token of the "partner" role, from a load generator in a
process of its own, at 1, 16 and 64 requests in flight. Each request is the forum's whole path:
token lookup, validation, the feedback row, its audit, its outbox row (published by the relay
meanwhile), the escalation rules, in one transaction.

Baseline: the bare FastAPI + SQLAlchemy app (`baselines/app.py`, one uvicorn worker too) doing one
INSERT of a similar row per request in one transaction.

Figures: requests/s, p50, p99 (ms) and errors (non-2xx or failed), on SQLite and PostgreSQL.
Targets: ratio ≥ 0.6 in requests/s; no errors at 64 in flight; on SQLite, p99 ≤ 50 ms at 16.
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.common import (
    Context,
    Row,
    alternate,
    at_most,
    baseline_app,
    compare,
    databases,
    feedback_service,
    loadgen,
    nats_server,
    none_at_all,
    partner_token,
    per_backend,
    ratio_at_least,
    stopping,
    wait_http,
)

NAME = "intake"
BODY = json.dumps({"text": "Benchmark view {n}: the waiting room was too hot to sit in", "area": "Ely",
                   "themes": ["waiting times"]})


async def closed_load(url: str, path: str, concurrency: int, seconds: float, warmup: float,
                      headers: dict[str, str] | None = None) -> dict[str, Any]:
    spec = {"mode": "closed", "url": url, "path": path, "body": BODY, "headers": headers or {},
            "concurrency": concurrency, "seconds": seconds, "warmup": warmup}
    return await loadgen(spec, timeout=warmup + seconds + 60)


async def run(ctx: Context) -> list[Row]:
    return await per_backend(ctx, NAME, _on)


async def _on(ctx: Context, kind: str) -> list[Row]:
    from forum_shared.local import free_port

    folder = ctx.sub(f"{NAME}-{kind}")
    seconds = ctx.pick(2.5, 1.5)  # measured, each round (so 7.5 s in all at each concurrency)
    warmup = 0.5
    concurrencies = (1, 16, 64)
    async with nats_server(folder / "nats", federated=True) as nats, databases(ctx, folder) as dbs:
        forum_port, base_port = free_port(), free_port()
        forum_db = await dbs.new(kind, "feedback")
        forum = feedback_service(nats, forum_db, forum_port, folder / "feedback.log")
        baseline = baseline_app(await dbs.new(kind, "baseline"), base_port, folder / "baseline.log")
        with stopping(forum, baseline):
            forum_url, base_url = f"http://127.0.0.1:{forum_port}", f"http://127.0.0.1:{base_port}"
            await wait_http(f"{forum_url}/ready", forum)
            await wait_http(f"{base_url}/health", baseline)
            token = {"authorization": f"Bearer {await partner_token(forum_db)}"}
            rows: list[Row] = []
            for c in concurrencies:
                ctx.log(f"  intake {kind} c={c}")
                ours, theirs = await alternate(
                    ctx.rounds,
                    lambda _n, c=c: closed_load(forum_url, "/partner/feedback", c, seconds, warmup, token),
                    lambda _n, c=c: closed_load(base_url, "/feedback", c, seconds, warmup),
                )
                case = f"{kind} c={c}"
                rows.append(compare(NAME, f"{case} requests/s", "req/s", [r["rps"] for r in ours],
                                    [r["rps"] for r in theirs], ratio_at_least(0.6)))
                rows.append(compare(NAME, f"{case} p50", "ms", [r["p50_ms"] for r in ours],
                                    [r["p50_ms"] for r in theirs]))
                p99_target = at_most(50, "ms") if (kind, c) == ("sqlite", 16) else None
                rows.append(compare(NAME, f"{case} p99", "ms", [r["p99_ms"] for r in ours],
                                    [r["p99_ms"] for r in theirs], p99_target))
                statuses = {k: v for r in ours for k, v in r["statuses"].items() if not k.startswith("2")}
                rows.append(compare(NAME, f"{case} errors", "", [r["errors"] for r in ours],
                                    [r["errors"] for r in theirs], none_at_all() if c == 64 else None,
                                    note=f"forum statuses {statuses}" if statuses else "", digits=0))
            return rows
