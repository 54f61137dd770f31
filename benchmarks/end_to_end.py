"""end to end — from a POST to a governor's durable consumer.

A partner's program POSTs /partner/feedback with a safeguarding concern to the feedback service
(run as `forum up` runs it, on SQLite, with its own key on a nats-server in the forum's topology);
the service escalates it on receipt, in the same transaction, and its outbox relay publishes
IssueEscalated to FEEDBACK, which the governors' account sources into ESCALATIONS. Requests are
sent at 10 and at 100 per second whatever the answers (open loop), and latency runs from when a
request was due until its escalation reaches:

    governor   the governor's own durable consumer, read with the governor's key (one at a time)
    watch      `forum governors watch` itself (`forum_shared.governors.watch`), for a second governor

Baseline (the raw floor): one HTTP round trip to the bare app (`baselines/app.py` POST
/escalations) that commits one row and then publishes one JetStream message, received by a
durable pull consumer (one at a time), on a bare nats-server.

Targets: against the baseline, p50 ≤ 3× and p99 ≤ 10× (the governor's consumer).
"""

from __future__ import annotations

import json
from typing import Any

from benchmarks.common import (
    Context,
    Row,
    alternate,
    baseline_app,
    compare,
    databases,
    failed,
    feedback_service,
    loadgen,
    nats_server,
    partner_token,
    ratio_at_most,
    stopping,
    wait_http,
)

NAME = "end to end"
BODY = json.dumps({"text": "Benchmark {n}: someone said they may be at risk at home", "area": "Ely",
                   "themes": ["crisis care"], "safeguarding_concern": True})
GOVERNOR, WATCHER = "Bench Governor", "Bench Watcher"


async def run(ctx: Context) -> list[Row]:
    try:
        return await _run(ctx)
    except Exception as exc:  # noqa: BLE001 - reported as a row
        return [failed(NAME, "sqlite", exc)]


async def _run(ctx: Context) -> list[Row]:
    from nats.js.api import AckPolicy, ConsumerConfig, DeliverPolicy

    from forum_shared import governors
    from forum_shared.local import free_port

    folder = ctx.sub("end-to-end")
    rates = {10: ctx.pick(4.0, 2.0), 100: ctx.pick(2.0, 1.0)}  # requests per second: seconds measured
    async with (
        nats_server(folder / "nats", federated=True) as forum_nats,
        nats_server(folder / "bare-nats", federated=False) as bare_nats,
        databases(ctx, folder) as dbs,
    ):
        governor = await forum_nats.add_governor(GOVERNOR, new_only=True)
        watcher = await forum_nats.add_governor(WATCHER, new_only=True)
        forum_port, base_port = free_port(), free_port()
        forum_db = await dbs.new("sqlite", "feedback")
        forum = feedback_service(forum_nats, forum_db, forum_port, folder / "feedback.log")
        baseline = baseline_app(await dbs.new("sqlite", "baseline"), base_port, folder / "baseline.log",
                                nats_url=bare_nats.url)
        with stopping(forum, baseline):
            forum_url, base_url = f"http://127.0.0.1:{forum_port}", f"http://127.0.0.1:{base_port}"
            await wait_http(f"{forum_url}/ready", forum)
            await wait_http(f"{base_url}/health", baseline)
            token = await partner_token(forum_db)
            nc = await bare_nats.connect()
            try:
                await nc.jetstream().add_consumer("BASELINE", ConsumerConfig(
                    durable_name="receiver", ack_policy=AckPolicy.EXPLICIT, deliver_policy=DeliverPolicy.NEW))
            finally:
                await nc.close()
            forum_receivers = [
                {"name": "governor", "nats_url": forum_nats.url, "options": governor, "stream": "ESCALATIONS",
                 "durable": governors.durable_name(GOVERNOR)},
                {"name": "watch", "watch": True, "governor": WATCHER, "nats_url": forum_nats.url,
                 "options": watcher},
            ]
            base_receivers = [{"name": "consumer", "nats_url": bare_nats.url, "stream": "BASELINE",
                               "durable": "receiver"}]

            def paced(url: str, path: str, headers: dict[str, str], receivers: list[dict[str, Any]],
                      rate: int, seconds: float) -> Any:
                spec = {"mode": "open", "url": url, "path": path, "headers": headers, "body": BODY, "rate": rate,
                        "seconds": seconds, "warmup": 0.5, "receivers": receivers, "drain": 15}
                return loadgen(spec, timeout=seconds + 90)

            rows: list[Row] = []
            for rate, seconds in rates.items():
                ctx.log(f"  end to end {rate}/s")
                ours, theirs = await alternate(
                    ctx.rounds,
                    lambda _n, r=rate, s=seconds: paced(forum_url, "/partner/feedback",
                                                        {"authorization": f"Bearer {token}"}, forum_receivers, r, s),
                    lambda _n, r=rate, s=seconds: paced(base_url, "/escalations", {}, base_receivers, r, s),
                )
                rows += _rows(rate, ours, theirs)
            return rows


def _rows(rate: int, ours: list[dict[str, Any]], theirs: list[dict[str, Any]]) -> list[Row]:
    def lost(result: dict[str, Any], receiver: str) -> int:
        return int(result["receivers"][receiver]["lost"] + result["errors"])

    def of(results: list[dict[str, Any]], receiver: str, figure: str) -> list[float]:
        return [r["receivers"][receiver][figure] for r in results]

    notes = ["forum HTTP p50 " + " / ".join(f"{r['http']['p50_ms']:.0f}" for r in ours) + " ms"]
    missing = sum(lost(r, "governor") for r in ours), sum(lost(r, "consumer") for r in theirs)
    if any(missing):
        notes.append(f"refused or never received: forum {missing[0]}, baseline {missing[1]}")
    case = f"{rate}/s"
    return [
        compare(NAME, f"{case} p50 to governor", "ms", of(ours, "governor", "p50_ms"),
                of(theirs, "consumer", "p50_ms"), ratio_at_most(3), note="; ".join(notes)),
        compare(NAME, f"{case} p99 to governor", "ms", of(ours, "governor", "p99_ms"),
                of(theirs, "consumer", "p99_ms"), ratio_at_most(10)),
        compare(NAME, f"{case} p50 to `governors watch`", "ms", of(ours, "watch", "p50_ms"),
                of(theirs, "consumer", "p50_ms")),
        compare(NAME, f"{case} p99 to `governors watch`", "ms", of(ours, "watch", "p99_ms"),
                of(theirs, "consumer", "p99_ms")),
    ]
