"""`make bench` (`python -m benchmarks`): the forum's paths against the simplest programs doing the
same raw work, as ratios.

Each path starts its own nats-server, databases (SQLite files in a temporary folder, and PostgreSQL
databases on the server FORUM_TEST_POSTGRES_URL names, when it is set) and processes; it measures
the forum and its baseline in turns, round after round (3), and the table gives each figure's
median with the range of the rounds, the baseline's, their ratio (forum / baseline within a
round), the target and whether it is met. The table is written as JSON too.

    python -m benchmarks                 everything (under 10 minutes on a 2-core machine)
    python -m benchmarks --quick         smaller sizes, 1 round, a couple of seconds each: a smoke run
    python -m benchmarks --only relay    one path (intake, relay, consume, end-to-end, search, footprint)

Paths (see each module's docstring for exactly what is measured):
"""

from __future__ import annotations

import argparse
import asyncio
import importlib
import json
import logging
import os
import platform
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from benchmarks.common import ROOT, Context, Row, failed, postgres_admin_url

# name: (module, what it measures, seconds it is expected to take: full, quick). A path may take
# half as long again before it is stopped, if the whole run has the time (see run_path).
PATHS: dict[str, tuple[str, str, tuple[float, float]]] = {
    "intake": ("intake", "receive feedback over HTTP at 1/16/64 in flight (baseline: bare FastAPI + SQLAlchemy)",
               (125, 40)),
    "relay": ("relay", "outbox relay draining a backlog to JetStream (baseline: raw nats-py, 100 in flight)",
              (75, 15)),
    "consume": ("consume", "consumer catching up through the inbox (baseline: raw pull consumer, no database)",
                (70, 20)),
    "end-to-end": ("end_to_end", "POST to a governor's durable consumer at 10 and 100/s (baseline: bare app "
                   "commit + publish)", (80, 25)),
    "search": ("search", "Open Referral UK search at 1,000/10,000/100,000 services (baseline: the same SQL)",
               (105, 35)),
    "footprint": ("footprint", "forum up start-up time and memory of every service (baseline: the bare app)",
                  (85, 30)),
}
# The whole run's time limit (full, quick).
TOTAL = (570, 280)
ALIASES = {"end_to_end": "end-to-end", "e2e": "end-to-end", "endtoend": "end-to-end", "memory": "footprint"}
DEFAULT_JSON = ROOT / "benchmarks" / "results" / "latest.json"


def parse(argv: list[str] | None = None) -> argparse.Namespace:
    doc = (__doc__ or "") + "".join(f"    {name:<12} {what}\n" for name, (_m, what, _t) in PATHS.items())
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=doc,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="smaller sizes, 1 round, a couple of seconds each")
    parser.add_argument("--only", action="append", default=[], metavar="NAME",
                        help="run only this path (again, or comma-separated, for more)")
    parser.add_argument("--rounds", type=int, help="rounds of forum/baseline (default 3, or 1 with --quick)")
    parser.add_argument("--json", type=Path, help=f"where to write the table (default "
                        f"{DEFAULT_JSON.relative_to(ROOT)})")
    parser.add_argument("--time-limit", type=float, metavar="SECONDS",
                        help=f"for the whole run (default {TOTAL[0]}, or {TOTAL[1]} with --quick); given, "
                        "a path may take as much of it as the paths after it do not need")
    parser.add_argument("--no-postgres", action="store_true",
                        help="SQLite only, even if FORUM_TEST_POSTGRES_URL is set")
    # What the old `make bench` took (tests/test_benchmarks_run.py still does): tiny counts, no
    # search. Now they mean --quick (and --no-search), and no JSON unless --json is given.
    parser.add_argument("--events", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--requests", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--no-search", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    legacy = args.events is not None or args.requests is not None
    args.quick = args.quick or legacy
    args.json = args.json or (None if legacy else DEFAULT_JSON)
    names = []
    for given in args.only:
        for name in filter(None, (n.strip().lower() for n in given.split(","))):
            name = ALIASES.get(name, name)
            if name not in PATHS:
                parser.error(f"no path called {name!r}: choose from {', '.join(PATHS)}")
            names.append(name)
    args.paths = [n for n in PATHS if n in names] if names else [n for n in PATHS if not (args.no_search and
                                                                                         n == "search")]
    args.rounds = args.rounds or (1 if args.quick else 3)
    return args


async def run_path(name: str, ctx: Context, left: float, later: list[str], *, all_left: bool = False) -> list[Row]:
    """Run one path within half as long again as it is expected to take (`all_left`: within what
    is left), less if the `left` seconds of the whole run must keep what the `later` paths are
    expected to take."""
    module, _what, _expected = PATHS[name]

    def expected(path: str) -> float:
        full, quick = PATHS[path][2]
        return quick if ctx.quick else full

    most = left - sum(expected(p) for p in later)
    limit = max(most if all_left else min(1.5 * expected(name), most), 0.5 * expected(name))
    ctx.budget, ctx.started = limit, time.perf_counter()
    started = time.perf_counter()
    ctx.log(f"{name} …")
    try:
        async with asyncio.timeout(limit) as scope:
            rows: list[Row] = await importlib.import_module(f"benchmarks.{module}").run(ctx)
    except Exception as exc:  # noqa: BLE001 - one path failing leaves the others' figures
        if isinstance(exc, TimeoutError) and scope.expired():
            rows = [failed(name, "", f"stopped at its time limit of {limit:.0f} s")]
        else:
            rows = [failed(name, "", exc)]
    ctx.log(f"{name} done in {time.perf_counter() - started:.0f} s")
    return rows


def table(rows: list[Row]) -> str:
    header = ["path", "case", "figure", "baseline", "ratio", "target", "met", "note"]
    lines = []
    for row in rows:
        unit = f" ({row.unit})" if row.unit else ""
        lines.append([
            row.path, row.case + unit,
            row.figure.show(row.digits) if row.figure else "—",
            row.baseline.show(row.digits) if row.baseline else "—",
            row.ratio.show(2) if row.ratio else "—",
            row.target.text if row.target else "",
            {True: "yes", False: "NO", None: ""}[row.met],
            row.note,
        ])
    widths = [max(len(str(line[i])) for line in [header, *lines]) for i in range(len(header) - 1)]
    out = []
    for line in [header, *lines]:
        out.append("  ".join(f"{cell:<{widths[i]}}" for i, cell in enumerate(line[:-1])) + "  " + line[-1])
    out.insert(1, "-" * min(160, sum(widths) + 2 * len(widths) + 4))
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    args = parse(argv)
    logging.getLogger("nats").setLevel(logging.CRITICAL)  # a reconnect or a reload is not news here
    from forum_shared import logs

    logs.configure("ERROR")
    postgres = None if args.no_postgres else postgres_admin_url()
    began, started_at = time.perf_counter(), datetime.now(UTC)
    print(f"Partnership Forum benchmarks ({'quick' if args.quick else 'full'}, {args.rounds} round"
          f"{'s' if args.rounds > 1 else ''}, SQLite{' and PostgreSQL' if postgres else ''}, "
          f"{os.cpu_count()} CPUs); ratio = forum / baseline in the same round, median (min–max) of the rounds.")
    for name in args.paths:
        print(f"  {name:<11} {PATHS[name][1]}")
    if not postgres:
        print("  (PostgreSQL left out: set FORUM_TEST_POSTGRES_URL, e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
    sys.stdout.flush()
    rows: list[Row] = []
    with tempfile.TemporaryDirectory(prefix="forum-bench-") as folder:
        ctx = Context(Path(folder), quick=args.quick, rounds=args.rounds, postgres=postgres)
        total = args.time_limit or (TOTAL[1] if args.quick else TOTAL[0])
        for n, name in enumerate(args.paths):
            left = total - (time.perf_counter() - began)
            rows += asyncio.run(run_path(name, ctx, left, args.paths[n + 1:], all_left=args.time_limit is not None))
    seconds = time.perf_counter() - began
    print()
    print(table(rows))
    judged = [r.met for r in rows if r.met is not None]
    print(f"\n{sum(judged)} of {len(judged)} targets met; {seconds:.0f} s in all.")
    if args.json:
        write_json(args, rows, started_at, seconds, postgres is not None)
    return 0


def write_json(args: argparse.Namespace, rows: list[Row], started_at: datetime, seconds: float,
               postgres: bool) -> None:
    document: dict[str, Any] = {
        "started_at": started_at.isoformat(),
        "seconds": round(seconds, 1),
        "quick": args.quick,
        "rounds": args.rounds,
        "postgres": postgres,
        "machine": {"cpus": os.cpu_count(), "python": platform.python_version(), "platform": platform.platform()},
        "paths": {name: PATHS[name][1] for name in args.paths},
        "rows": [row.as_dict() for row in rows],
    }
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n")
    print(f"Written to {args.json}")


if __name__ == "__main__":
    sys.exit(main())
