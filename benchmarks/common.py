"""What every benchmark path shares: figures over rounds (median, min–max), the rows of the table
and their targets, a nats-server and databases of its own, the processes it starts (and only those
it stops), and time limits.

A path measures the forum's way of doing something and a baseline (the simplest program doing the
same raw work with the same libraries) in turns, round after round, so that whatever else the
machine is doing falls on both; each row's ratio is forum / baseline within a round, and the table
shows the median of the rounds with their range.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import math
import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

ROOT = Path(__file__).resolve().parents[1]
PYTHON = sys.executable
POSTGRES_ENV = "FORUM_TEST_POSTGRES_URL"

T = TypeVar("T")


# -- figures -----------------------------------------------------------------------------------
def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0–100) of `values`; NaN if there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass(frozen=True)
class Stat:
    """One figure over the rounds: the median, and the lowest and highest round."""

    median: float
    low: float
    high: float
    n: int

    @classmethod
    def of(cls, values: Sequence[float | None]) -> Stat | None:
        known = sorted(v for v in values if v is not None and not math.isnan(v))
        if not known:
            return None
        middle = len(known) // 2
        median = known[middle] if len(known) % 2 else (known[middle - 1] + known[middle]) / 2
        return cls(median, known[0], known[-1], len(known))

    def show(self, digits: int | None = None) -> str:
        if self.n == 1 or self.low == self.high:
            return number(self.median, digits)
        return f"{number(self.median, digits)} ({number(self.low, digits)}–{number(self.high, digits)})"

    def as_dict(self) -> dict[str, float]:
        return {"median": self.median, "min": self.low, "max": self.high, "rounds": self.n}


def number(value: float, digits: int | None = None) -> str:
    if digits is None:
        size = abs(value)
        digits = 0 if size >= 100 else 1 if size >= 10 else 2 if size >= 0.1 or size == 0 else 3
    return f"{value:,.{digits}f}"


# -- rows and targets --------------------------------------------------------------------------
@dataclass(frozen=True)
class Target:
    """What a row should reach, in words for the table, and the test of it."""

    text: str
    test: Callable[[Row], bool | None]


def _on(stat: Stat | None, check: Callable[[float], bool]) -> bool | None:
    return None if stat is None else check(stat.median)


def ratio_at_least(limit: float) -> Target:
    return Target(f"ratio ≥ {limit:g}", lambda row: _on(row.ratio, lambda r: r >= limit))


def ratio_at_most(limit: float) -> Target:
    return Target(f"ratio ≤ {limit:g}", lambda row: _on(row.ratio, lambda r: r <= limit))


def ratio_below(limit: float) -> Target:
    return Target(f"ratio < {limit:g}", lambda row: _on(row.ratio, lambda r: r < limit))


def at_most(limit: float, unit: str) -> Target:
    return Target(f"≤ {limit:g} {unit}".rstrip(), lambda row: _on(row.figure, lambda f: f <= limit))


def below(limit: float, unit: str) -> Target:
    return Target(f"< {limit:g} {unit}".rstrip(), lambda row: _on(row.figure, lambda f: f < limit))


def none_at_all() -> Target:
    """No errors in any round (the worst round, not the median)."""
    return Target("0", lambda row: None if row.figure is None else row.figure.high == 0)


@dataclass
class Row:
    """One line of the table: a figure of the forum's path, its baseline, and their ratio."""

    path: str
    case: str
    unit: str
    figure: Stat | None
    baseline: Stat | None = None
    ratio: Stat | None = None
    target: Target | None = None
    note: str = ""
    digits: int | None = None

    @property
    def met(self) -> bool | None:
        return self.target.test(self) if self.target else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "path": self.path,
            "case": self.case,
            "unit": self.unit,
            "figure": self.figure.as_dict() if self.figure else None,
            "baseline": self.baseline.as_dict() if self.baseline else None,
            "ratio": self.ratio.as_dict() if self.ratio else None,
            "target": self.target.text if self.target else None,
            "met": self.met,
            "note": self.note,
        }


def compare(
    path: str,
    case: str,
    unit: str,
    forum: Sequence[float | None],
    baseline: Sequence[float | None] | None = None,
    target: Target | None = None,
    note: str = "",
    digits: int | None = None,
) -> Row:
    """A row from per-round figures; the ratio is taken round by round (forum / baseline)."""
    ratios: list[float | None] = []
    if baseline is not None:
        for f, b in zip(forum, baseline, strict=False):
            ratios.append(f / b if f is not None and b else None)
    return Row(path, case, unit, Stat.of(forum), Stat.of(baseline) if baseline is not None else None,
               Stat.of(ratios) if ratios else None, target, note, digits)


def failed(path: str, case: str, error: BaseException | str) -> Row:
    """A row saying a measurement could not be made, and why."""
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}".strip(": ")
    return Row(path, case, "", None, note=f"FAILED {text}"[:300])


async def alternate(
    rounds: int,
    forum: Callable[[int], Awaitable[T]],
    baseline: Callable[[int], Awaitable[T]] | None = None,
) -> tuple[list[T], list[T]]:
    """Run the forum's measurement and the baseline's in turns, `rounds` times, changing which
    goes first each round (forum, baseline; baseline, forum; …) so drift falls on both."""
    ours: list[T] = []
    theirs: list[T] = []
    for n in range(rounds):
        if baseline is not None and n % 2:
            theirs.append(await baseline(n))
            ours.append(await forum(n))
        else:
            ours.append(await forum(n))
            if baseline is not None:
                theirs.append(await baseline(n))
    return ours, theirs


# -- the run's settings ------------------------------------------------------------------------
@dataclass
class Context:
    """What every path is given: full or quick sizes, rounds, its own folder, and PostgreSQL."""

    folder: Path
    quick: bool = False
    rounds: int = 3
    postgres: str | None = None  # the admin URL (postgresql+asyncpg://…), when PostgreSQL is there
    budget: float = 600.0  # seconds the path running now may take in all …
    started: float = field(default_factory=time.perf_counter)  # … since it started
    log: Callable[[str], None] = field(default=lambda text: print(text, file=sys.stderr, flush=True))

    def spent(self) -> float:
        """Seconds since the path running now started."""
        return time.perf_counter() - self.started

    def pick(self, full: T, quick: T) -> T:
        return quick if self.quick else full

    @property
    def backends(self) -> list[str]:
        return ["sqlite"] + (["postgres"] if self.postgres else [])

    def sub(self, name: str) -> Path:
        folder = self.folder / f"{name}-{uuid.uuid4().hex[:6]}"
        folder.mkdir(parents=True)
        return folder


async def per_backend(ctx: Context, path: str, measure: Callable[[Context, str], Awaitable[list[Row]]],
                      kinds: Sequence[str] | None = None) -> list[Row]:
    """`measure(ctx, kind)` on each backend in turn, within the path's time limit and leaving each
    later backend at least half its share of what is left; a backend that fails or overruns
    gives a row saying so, and the others still run."""
    kinds = list(kinds or ctx.backends)
    rows: list[Row] = []
    for n, kind in enumerate(kinds):
        left, after = ctx.budget * 0.95 - ctx.spent(), len(kinds) - n - 1
        limit = left * (1 - 0.5 * after / (after + 1))
        try:
            async with asyncio.timeout(max(limit, 1.0)) as scope:
                rows += await measure(ctx, kind)
        except Exception as exc:  # noqa: BLE001 - reported as a row
            expired = isinstance(exc, TimeoutError) and scope.expired()
            rows.append(failed(path, kind, f"stopped at its time limit of {limit:.0f} s" if expired else exc))
    return rows


def postgres_admin_url() -> str | None:
    """FORUM_TEST_POSTGRES_URL (e.g. postgresql://postgres@127.0.0.1:5432/postgres) for asyncpg."""
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return None
    from sqlalchemy.engine import make_url

    return make_url(url).set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


# -- databases ---------------------------------------------------------------------------------
class Databases:
    """Fresh databases for one path: SQLite files in its folder, or PostgreSQL databases made on
    the server FORUM_TEST_POSTGRES_URL names and dropped again at the end."""

    def __init__(self, folder: Path, postgres: str | None) -> None:
        self.folder = folder
        self.postgres = postgres
        self.made: list[str] = []

    async def new(self, kind: str, name: str) -> str:
        if kind == "sqlite":
            return f"sqlite+aiosqlite:///{self.folder / name}-{uuid.uuid4().hex[:6]}.db"
        if not self.postgres:
            raise RuntimeError(f"PostgreSQL is not available: set {POSTGRES_ENV}")
        from sqlalchemy.engine import make_url

        db_name = f"forum_bench_{name}_{uuid.uuid4().hex[:8]}"
        await self._admin(f'CREATE DATABASE "{db_name}"')
        self.made.append(db_name)
        return make_url(self.postgres).set(database=db_name).render_as_string(hide_password=False)

    async def drop(self, url: str) -> None:
        from sqlalchemy.engine import make_url

        name = make_url(url).database
        if url.startswith("postgresql") and name in self.made:
            self.made.remove(name)
            await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def drop_all(self) -> None:
        for name in list(self.made):
            with contextlib.suppress(Exception):
                await self._admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self.made.clear()

    async def _admin(self, sql: str) -> None:
        import asyncpg
        from sqlalchemy.engine import make_url

        assert self.postgres
        url = make_url(self.postgres)
        conn = await asyncpg.connect(host=url.host, port=url.port or 5432, user=url.username,
                                     password=url.password, database=url.database)
        try:
            await conn.execute(sql)
        finally:
            await conn.close()


@contextlib.asynccontextmanager
async def databases(ctx: Context, folder: Path) -> AsyncIterator[Databases]:
    made = Databases(folder, ctx.postgres)
    try:
        yield made
    finally:
        await made.drop_all()


# -- nats-server -------------------------------------------------------------------------------
@contextlib.asynccontextmanager
async def nats_server(folder: Path, *, federated: bool) -> AsyncIterator[Any]:
    """A nats-server of this path's own on a free port: the forum's topology (accounts, a key per
    service, owners' streams declared as `forum up` does) or, `federated=False`, a bare one."""
    from forum_shared.testing import NatsServer

    server = NatsServer(folder, federated=federated)
    server.start()
    try:
        if server.federation is not None:
            await server.federation.declare_owner_streams(server.url)
        yield server
    finally:
        server.stop()


# -- processes ---------------------------------------------------------------------------------
class Process:
    """A program this benchmark started, in its own session, with its output in a log file.
    Only the benchmark that started it stops it, by its process id."""

    def __init__(self, name: str, args: list[str], env: dict[str, str], log: Path) -> None:
        self.name = name
        self.args = args
        self.env = env
        self.log = log
        self.popen: subprocess.Popen[bytes] | None = None
        self.started_at = 0.0

    def start(self) -> Process:
        out = self.log.open("ab")
        self.started_at = time.perf_counter()
        self.popen = subprocess.Popen(self.args, env=self.env, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT,
                                      start_new_session=True)
        out.close()
        return self

    @property
    def pid(self) -> int:
        assert self.popen is not None
        return self.popen.pid

    def running(self) -> bool:
        return self.popen is not None and self.popen.poll() is None

    def stop(self, sig: int = signal.SIGTERM, timeout: float = 15) -> None:
        if not self.running():
            return
        assert self.popen is not None
        self.popen.send_signal(sig)
        try:
            self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(5)

    def tail(self, lines: int = 15) -> str:
        try:
            return "\n".join(self.log.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def service_process(name: str, env: dict[str, str], log: Path) -> Process:
    """A service started as `forum up` starts it: `python -m <name>` with its settings in the
    environment."""
    return Process(name, [PYTHON, "-m", name], {**os.environ, **env}, log).start()


def feedback_service(nats: Any, database_url: str, port: int, log: Path) -> Process:
    """The feedback service as `forum up` starts it, on `port`, with its own key on `nats` (a
    federated `NatsServer`)."""
    env = {"FEEDBACK_PORT": str(port), "FEEDBACK_HOST": "127.0.0.1", "FEEDBACK_DATABASE_URL": database_url,
           **nats.federation.service_env("feedback", nats.url)}
    return service_process("feedback", env, log)


def baseline_app(database_url: str, port: int, log: Path, nats_url: str | None = None) -> Process:
    """The bare app of `baselines/app.py` on `port` (publishing to `nats_url`, if given)."""
    env = {"BASELINE_PORT": str(port), "BASELINE_DATABASE_URL": database_url,
           **({"BASELINE_NATS_URL": nats_url} if nats_url else {})}
    return Process("baseline", [PYTHON, "-m", "benchmarks.baselines.app"], {**os.environ, **env}, log).start()


@contextlib.contextmanager
def stopping(*processes: Process) -> Any:
    try:
        yield processes
    finally:
        for process in processes:
            process.stop()


async def wait_http(url: str, process: Process | None = None, timeout: float = 60, status: int = 200) -> float:
    """Wait until `url` answers with `status`; returns the seconds since the process started."""
    import httpx

    deadline = time.monotonic() + timeout
    async with httpx.AsyncClient(timeout=2) as client:
        while time.monotonic() < deadline:
            if process is not None and not process.running():
                raise RuntimeError(f"{process.name} stopped before it was ready:\n{process.tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if (await client.get(url)).status_code == status:
                    return time.perf_counter() - process.started_at if process else 0.0
            await asyncio.sleep(0.05)
    raise TimeoutError(f"{url} did not answer {status} within {timeout:g} s"
                       + (f":\n{process.tail()}" if process else ""))


def rss_mb(pid: int) -> float | None:
    """Resident memory of a process, in MB (VmRSS in /proc/<pid>/status)."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def children_of(pid: int) -> list[int]:
    """Direct children of a process (from /proc: every thread's `children` list)."""
    found: list[int] = []
    with contextlib.suppress(OSError):
        for task in Path(f"/proc/{pid}/task").iterdir():
            with contextlib.suppress(OSError):
                found += [int(p) for p in (task / "children").read_text().split()]
    return found


def command_line(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


# -- the load generator, in a process of its own ----------------------------------------------
async def loadgen(spec: dict[str, Any], timeout: float) -> dict[str, Any]:
    """Run `python -m benchmarks.loadgen` with `spec`, so the client does not share this process
    (nor the server's) CPU time; returns its figures. Killed if it overruns `timeout`."""
    proc = await asyncio.create_subprocess_exec(
        PYTHON, "-m", "benchmarks.loadgen", json.dumps(spec), cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE, start_new_session=True,
    )
    try:
        out, err = await asyncio.wait_for(proc.communicate(), timeout)
    except BaseException:
        if proc.returncode is None:
            proc.kill()
            await proc.wait()
        raise
    if proc.returncode != 0:
        raise RuntimeError(f"the load generator failed: {err.decode(errors='replace')[-1500:]}")
    result: dict[str, Any] = json.loads(out.decode().strip().splitlines()[-1])
    return result


async def partner_token(database_url: str, service: str = "feedback", role: str = "partner") -> str:
    """An API token made on a service's database as `forum token create` makes one."""
    from forum_shared.audit import SYSTEM
    from forum_shared.db import Database
    from forum_shared.identity import tokens

    db = Database(database_url, pool_size=2)
    try:
        async with db.transaction() as session:
            _row, token = await tokens.create_token(session, name=f"Benchmark {role}", role=role, actor=SYSTEM)
        return token
    finally:
        await db.dispose()


def elapsed(since: float) -> float:
    return time.perf_counter() - since
