"""Test fixtures every service's tests use: a real `nats-server` on a free port, real SQLite, and
real PostgreSQL when `FORUM_TEST_POSTGRES_URL` is set. Registered from the root `conftest.py`.

`run_service` runs a service in the test's event loop and gives a `RunningService`: `client` is a
member of the public, `staff`/`governor`/`admin` are programs holding an API token of that role,
`await svc.person("staff")` is someone signed in through the pages (a `Person`: an httpx browser
that posts forms with their CSRF token), and `async with svc.serve_http() as url` serves it over
real HTTP for the browser tests (see `forum_shared.browser_testing`).
"""

from __future__ import annotations

import asyncio
import atexit
import contextlib
import functools
import importlib
import os
import re
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import httpx
import nats
import pytest
from sqlalchemy.engine import make_url

from forum_shared.config import ServiceSettings
from forum_shared.federation.local import LocalFederation
from forum_shared.federation.server_config import Cluster, Tls
from forum_shared.local import free_port, nats_server_binary
from forum_shared.streams import inbox_prefix

if TYPE_CHECKING:
    from fastapi import FastAPI
    from nats.aio.client import Client

    from forum_shared.db import Database
    from forum_shared.web import ServiceKit

POSTGRES_ENV = "FORUM_TEST_POSTGRES_URL"
TEST_PASSWORD = "correct horse battery staple"


class NatsServer:
    """A real nats-server with JetStream, on its own port and data folder; can be stopped and
    started again on the same port and data, as an outage would.

    By default it runs the forum's own topology, as `forum up` does: an account per organisation,
    a key per service, publish allow-lists and exports made from the event catalogue, no anonymous
    connections. `settings(service)` gives a service's NATS settings; `connect(user)` connects as
    a service, an account's administrator or a governor. `federated=False` gives a bare server."""

    def __init__(
        self,
        store_dir: Path,
        port: int | None = None,
        extra_args: list[str] | None = None,
        *,
        federated: bool = True,
        federation: LocalFederation | None = None,
        cluster: Cluster | None = None,
        server_name: str | None = None,
        leafnodes_port: int | None = None,
        client_tls: Tls | None = None,
        leafnode_tls: Tls | None = None,
    ) -> None:
        self.port = port or free_port()
        self.store_dir = store_dir
        self.extra_args = extra_args or []
        self.federation = (federation or LocalFederation(store_dir)) if federated else None
        self.cluster = cluster
        self.server_name = server_name
        self.leafnodes_port = leafnodes_port
        self.client_tls = client_tls
        self.leafnode_tls = leafnode_tls
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        scheme = "tls" if self.client_tls else "nats"
        return f"{scheme}://127.0.0.1:{self.port}"

    def command(self) -> list[str]:
        if self.federation is None:
            return [nats_server_binary(), "-a", "127.0.0.1", "-p", str(self.port), "-js", "-sd", str(self.store_dir),
                    *self.extra_args]
        config = self.federation.write(
            self.port, cluster=self.cluster, server_name=self.server_name, leafnodes_port=self.leafnodes_port,
            client_tls=self.client_tls, leafnode_tls=self.leafnode_tls, store_dir=self.store_dir / "jetstream",
            # The forum's configuration, but for syncing every message to disk: no test cuts the
            # power, and a killed server's writes are already with the operating system.
            sync_always=False,
        )
        return [nats_server_binary(), "-c", str(config), *self.extra_args]

    def start(self) -> None:
        self.store_dir.mkdir(parents=True, exist_ok=True)
        log = (self.store_dir / "nats-server.log").open("ab")
        self.process = subprocess.Popen(self.command(), stdout=log, stderr=log)
        log.close()
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"nats-server stopped at once; see {self.store_dir / 'nats-server.log'}")
            with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", self.port), 0.2):
                return
            time.sleep(0.05)
        raise RuntimeError(f"nats-server did not start on port {self.port}")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(10)
        self.process = None

    def kill(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(10)
        self.process = None

    def reload(self) -> None:
        """Write the configuration again (e.g. with a new governor) and have the server read it."""
        assert self.process is not None
        self.command()
        self.process.send_signal(signal.SIGHUP)

    # -- the federation's users -------------------------------------------------------------
    def settings(self, service: str) -> dict[str, Any]:
        """The NATS settings of one service, as keyword arguments of its Settings."""
        if self.federation is None:
            return {"nats_url": self.url}
        return self.federation.service_settings(service, self.url)

    async def connect(self, user: str = "admin-TRUST", **options: Any) -> Client:
        """Connect as `service-<name>`, `admin-<ACCOUNT>`, `governor-<slug>` (a bare server: anyone)."""
        if self.federation is None:
            return await nats.connect(self.url, **options)
        return await self.federation.connect(self.url, user, **options)

    async def connect_admin(self, stream: str) -> Client:
        """Connect as the administrator of the account holding `stream`."""
        if self.federation is None:
            return await nats.connect(self.url)
        return await self.connect(self.federation.admin_for_stream(stream))

    async def add_governor(self, name: str, *, new_only: bool = False) -> dict[str, Any]:
        """Give a governor a key and a place (as the forum's NATS operator would); returns the
        options to connect as them."""
        from forum_shared import governors

        federation = self.federation
        assert federation is not None, "governors have their own account only on a federated server"
        if federation.add_governor(name):
            self.reload()
        await governors.give_place(
            lambda: self.connect("admin-GOVERNORS"), name, federation.topology.accounts, new_only=new_only
        )
        options = {"nkeys_seed": str(federation.governor_seed_file(name)),
                   "inbox_prefix": inbox_prefix(governors.durable_name(name))}
        await wait_for(lambda: _can_connect(self.url, options), 10, f"the server to know governor {name}")
        return options


async def _can_connect(url: str, options: dict[str, Any]) -> bool:
    try:
        nc = await nats.connect(url, allow_reconnect=False, max_reconnect_attempts=0, **options)
    except Exception:  # noqa: BLE001 - not yet
        return False
    await nc.close()
    return True


# A test that takes one of these talks to a real server (NATS, a browser, a running forum): it is
# not in the fast tier (`make test-fast`), which runs the domain and use-case tests on SQLite.
SERVER_FIXTURES = {"nats_server", "own_nats_server", "nats_keys", "postgres_database_url", "mail_server"}
# A test that takes one of these runs a whole app (routes, pages, its lifespan) in process, or a
# service's database as the service makes it: not in the fast tier either. A test that builds an
# app in its body says so with `@pytest.mark.http`.
HTTP_FIXTURES = {"web", "web_settings", "toy_service", "database_url"}


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "servers: talks to NATS, PostgreSQL, a browser or another process")
    config.addinivalue_line("markers", "http: runs an app in process: routes, pages, its lifespan")
    _routes_analysed_once_per_process()


def _routes_analysed_once_per_process() -> None:
    """Tests make a new app for every service they start, and FastAPI reads each route's signature
    and dependencies again for every app (two thirds of making one). The same endpoint with the
    same dependencies reads the same, so in tests each is read once per process. A later FastAPI
    without this internal function simply makes apps as before."""
    import fastapi.routing

    build = getattr(fastapi.routing, "_build_dependant_with_parameterless_dependencies", None)
    if build is None or getattr(build, "remembered", False):
        return
    read: dict[Any, Any] = {}

    def remembered(*, path: str, call: Callable[..., Any], dependencies: Any) -> Any:
        key = (path, call, tuple((d.dependency, d.use_cache, getattr(d, "scope", None)) for d in dependencies))
        if key not in read:
            read[key] = build(path=path, call=call, dependencies=dependencies)
        return read[key]

    remembered.remembered = True  # type: ignore[attr-defined]  # a mark, so it is wrapped once
    fastapi.routing._build_dependant_with_parameterless_dependencies = remembered


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    _mark_servers(items)
    _longest_first_on_every_worker(config, items)


def _longest_first_on_every_worker(config: pytest.Config, items: list[pytest.Item]) -> None:
    """pytest-xdist's work stealing gives each worker an equal run of the tests, in order. Put
    the longest tests (browsers, whole forums as processes) first in every worker's run, so they
    overlap the many short tests instead of being the last left running. Every worker computes
    the same order."""
    workers = int(getattr(config, "workerinput", {}).get("workercount", 1))
    if workers < 2:
        return
    long, short = [i for i in items if _runs_processes(i)], [i for i in items if not _runs_processes(i)]
    runs: list[list[pytest.Item]] = [[] for _ in range(workers)]
    for n, item in enumerate(long):
        runs[n % workers].append(item)
    size = -(-len(items) // workers)  # each worker's share, as xdist splits them
    rest = iter(short)
    for run in runs:
        run.extend(item for _, item in zip(range(size - len(run)), rest, strict=False))
    runs[-1].extend(rest)
    items[:] = [item for run in runs for item in run]


def _mark_servers(items: list[pytest.Item]) -> None:
    for item in items:
        fixtures = set(getattr(item, "fixturenames", ()))
        callspec = getattr(item, "callspec", None)
        on_postgres = callspec is not None and callspec.params.get("backend") == "postgres"
        if fixtures & SERVER_FIXTURES or on_postgres or item.get_closest_marker("postgres") or _runs_processes(item):
            item.add_marker(pytest.mark.servers)
        if fixtures & HTTP_FIXTURES:
            item.add_marker(pytest.mark.http)


def _runs_processes(item: pytest.Item) -> bool:
    """Tests in files that start the forum or the benchmarks as processes, or drive a browser."""
    path = str(getattr(item, "path", ""))
    return any(part in path for part in ("/browser/", "test_forum_up", "test_benchmarks_run", "test_deploy_running",
                                          "_browser.py", "test_deploy_postgres", "test_demo"))


@functools.cache
def docker_engine() -> bool:
    """Whether a Docker engine answers (a `docker` client on PATH is not enough). Tests then run
    NATS and PostgreSQL in containers (testcontainers); otherwise on this machine's own binaries
    and FORUM_TEST_POSTGRES_URL. FORUM_TEST_CONTAINERS=0 keeps the local binaries anyway."""
    if os.environ.get("FORUM_TEST_CONTAINERS", "1") == "0":
        return False
    try:
        import docker

        docker.from_env(timeout=3).ping()
    except Exception:  # noqa: BLE001 - no engine, no permission, no socket: all mean "not here"
        return False
    return True


class ContainerNatsServer(NatsServer):
    """The same server, topology and data folder, in the official nats image (testcontainers).
    The host port stays the same across a stop and start, as an outage would."""

    IMAGE = "nats:2.12"

    def __init__(self, store_dir: Path, **kwargs: Any) -> None:
        super().__init__(store_dir, **kwargs)
        self.container: Any = None

    def start(self) -> None:
        from testcontainers.core.container import DockerContainer
        from testcontainers.core.waiting_utils import wait_for_logs

        assert self.federation is not None and self.cluster is None, "clusters run on local binaries"
        self.store_dir.mkdir(parents=True, exist_ok=True)
        self.federation.write(4222, host="0.0.0.0", store_dir=Path("/forum/jetstream"))
        self.container = (
            DockerContainer(self.IMAGE)
            .with_bind_ports(4222, self.port)
            .with_volume_mapping(str(self.federation.folder.resolve()), "/forum", "rw")
            .with_command("-c /forum/nats.conf")
        )
        self.container.start()
        wait_for_logs(self.container, "Server is ready", timeout=30)

    def stop(self) -> None:
        if self.container is not None:
            self.container.stop()
            self.container = None

    kill = stop

    def reload(self) -> None:
        assert self.federation is not None, "only a federated server has a configuration to reload"
        self.federation.write(4222, host="0.0.0.0", store_dir=Path("/forum/jetstream"))
        self.container.get_wrapped_container().kill(signal="SIGHUP")


def nats_server_class() -> type[NatsServer]:
    return ContainerNatsServer if docker_engine() else NatsServer


@pytest.fixture(scope="session", autouse=True)
def postgres_container() -> Any:
    """PostgreSQL in a container for this session, when a Docker engine answers and no server was
    named with FORUM_TEST_POSTGRES_URL; otherwise nothing (PostgreSQL tests use that URL, or skip)."""
    if os.environ.get(POSTGRES_ENV) or not docker_engine():
        yield None
        return
    from testcontainers.postgres import PostgresContainer

    with PostgresContainer("postgres:17", driver=None) as container:
        os.environ[POSTGRES_ENV] = container.get_connection_url()
        try:
            yield container
        finally:
            os.environ.pop(POSTGRES_ENV, None)


@pytest.fixture(scope="session")
def nats_keys() -> Any:
    """The federation's keys, made once per test session (each test's server uses them)."""
    with tempfile.TemporaryDirectory(prefix="forum-nats-keys-") as folder:
        yield Path(folder)


@pytest.fixture
def nats_server(tmp_path: Path, nats_keys: Path) -> Any:
    """A nats-server for this test, in the forum's multi-organisation topology. Each test has its
    own: a service started on a new database reads all history from the streams (as a rebuilt
    partner must), so tests sharing a server would see each other's events. It starts in ~60 ms."""
    folder = tmp_path / "nats"
    server = nats_server_class()(folder, federation=LocalFederation(folder, keys_folder=nats_keys))
    server.start()
    yield server
    server.stop()


def nats_cluster(folder: Path, size: int = 3) -> list[NatsServer]:
    """`size` servers forming one JetStream cluster on loopback, sharing one topology and its keys,
    with authenticated routes (not started)."""
    route_ports = [free_port() for _ in range(size)]
    routes = [f"nats-route://route:{ROUTE_PASSWORD}@127.0.0.1:{p}" for p in route_ports]
    keys = folder / "keys"
    return [
        NatsServer(
            folder / f"n{i}",
            federation=LocalFederation(folder / f"n{i}", keys_folder=keys),
            cluster=Cluster(name="forum", listen=f"127.0.0.1:{route_ports[i]}", routes=routes, user="route",
                            password=ROUTE_PASSWORD),
            server_name=f"n{i}",
        )
        for i in range(size)
    ]


ROUTE_PASSWORD = "routes-" + uuid.uuid4().hex


@pytest.fixture
def own_nats_server(nats_server: NatsServer) -> Any:
    """The test's own nats-server, for tests that stop and restart it (every test has its own)."""
    return nats_server


def postgres_admin_url() -> str | None:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        return None
    parsed = make_url(url)
    return parsed.set(drivername="postgresql+asyncpg").render_as_string(hide_password=False)


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def backend(request: pytest.FixtureRequest) -> str:
    """Each test that takes this fixture runs on SQLite and again on PostgreSQL."""
    name: str = request.param
    if name == "postgres" and not postgres_admin_url():
        pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/postgres)")
    return name


@pytest.fixture
async def database_url(backend: str, tmp_path: Path) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """`await database_url("feedback")` gives a fresh database for that service, migrated
    (`database_url("feedback", empty=True)`: an empty one)."""
    async with _databases(backend, tmp_path) as make:
        yield make


@pytest.fixture
async def postgres_database_url(tmp_path: Path) -> AsyncIterator[Callable[[str], Awaitable[str]]]:
    """Like `database_url`, for tests of what only the PostgreSQL deployment does."""
    if not postgres_admin_url():
        pytest.skip(f"PostgreSQL tests skipped: set {POSTGRES_ENV}")
    async with _databases("postgres", tmp_path) as make:
        yield make


def _postgres_admin_url() -> str:
    url = postgres_admin_url()
    if url is None:
        raise RuntimeError(f"PostgreSQL is not available: set {POSTGRES_ENV}")
    return url


# A migrated copy of each service's database, made once per test process: a test's database is a
# copy of it (a file copy on SQLite, `CREATE DATABASE … TEMPLATE` on PostgreSQL), so the migrations
# run once, not at every service start (on PostgreSQL they take about half a second).
_TEMPLATES: dict[tuple[str, str], str] = {}
_TEMPLATE_FOLDER = Path(tempfile.mkdtemp(prefix="forum-test-templates-"))


def _service_migrations(name: str) -> Path | None:
    try:
        migrations: Path = importlib.import_module(f"{name}.app").MIGRATIONS
    except (ImportError, AttributeError):
        return None
    return migrations


async def _template(backend: str, name: str, migrations: Path) -> str:
    from forum_shared.db import create_engine
    from forum_shared.migrations import upgrade

    if (backend, name) not in _TEMPLATES:
        if backend == "sqlite":
            template = str(_TEMPLATE_FOLDER / f"{name}.db")
            url = f"sqlite+aiosqlite:///{template}"
        else:
            template = f"forum_template_{name}_{uuid.uuid4().hex[:10]}"
            await _admin(f'CREATE DATABASE "{template}"')
            atexit.register(_drop_template, template)
            url = make_url(_postgres_admin_url()).set(database=template).render_as_string(hide_password=False)
        engine = create_engine(url)
        try:
            await upgrade(engine, migrations)
            if backend == "sqlite":
                async with engine.connect() as conn:  # everything in the one file, nothing in a -wal
                    await conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        finally:
            await engine.dispose()
        _TEMPLATES[(backend, name)] = template
    return _TEMPLATES[(backend, name)]


def _drop_template(template: str) -> None:
    with contextlib.suppress(Exception):
        asyncio.run(_admin(f'DROP DATABASE IF EXISTS "{template}" WITH (FORCE)'))


@contextlib.asynccontextmanager
async def _databases(backend: str, tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[str]]]:
    created: list[str] = []

    async def make(name: str, *, empty: bool = False) -> str:
        """A fresh database for service `name`, already migrated unless `empty` (a test of the
        migrations themselves wants it empty)."""
        migrations = None if empty else _service_migrations(name)
        if backend == "sqlite":
            path = tmp_path / f"{name}.db"
            if migrations is not None:
                shutil.copyfile(await _template(backend, name, migrations), path)
            return f"sqlite+aiosqlite:///{path}"
        db_name = f"forum_test_{name}_{uuid.uuid4().hex[:10]}"
        template = f' TEMPLATE "{await _template(backend, name, migrations)}"' if migrations is not None else ""
        await _admin(f'CREATE DATABASE "{db_name}"{template}')
        created.append(db_name)
        return make_url(_postgres_admin_url()).set(database=db_name).render_as_string(hide_password=False)

    try:
        yield make
    finally:
        for db_name in created:
            await _admin(f'DROP DATABASE IF EXISTS "{db_name}" WITH (FORCE)')


async def terminate_backend(pid: int) -> None:
    """Close one PostgreSQL connection from the server's side, as a restart or an idle timeout
    would, and wait until it is gone."""
    await _admin(f"SELECT pg_terminate_backend({int(pid)}, 5000)")


async def _admin(sql: str) -> None:
    import asyncpg  # type: ignore[import-untyped]  # asyncpg ships no type information

    url = make_url(_postgres_admin_url())
    conn = await asyncpg.connect(
        host=url.host, port=url.port or 5432, user=url.username, password=url.password, database=url.database
    )
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


@pytest.fixture
async def use_case_db(tmp_path: Path) -> AsyncIterator[Callable[..., Awaitable[Any]]]:
    """`db = await use_case_db(feedback.app.MIGRATIONS)`: a fresh SQLite database with a service's
    migrations applied (a copy of one migrated once per test process), for use-case tests that
    need no NATS and no HTTP (the fast tier)."""
    from forum_shared.db import Database

    made: list[Database] = []

    async def make(migrations: Path, name: str = "service") -> Database:
        path = tmp_path / f"{name}.db"
        template = await _template("sqlite", re.sub(r"\W+", "_", str(migrations)).strip("_"), migrations)
        shutil.copyfile(template, path)
        db = Database(f"sqlite+aiosqlite:///{path}")
        made.append(db)
        return db

    yield make
    for db in made:
        await db.dispose()


BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def csrf_from(html: str) -> str:
    """The CSRF token in a page's forms."""
    import re

    match = re.search(r'name="csrf_token" value="([0-9a-f]+)"', html)
    assert match, "no CSRF field on the page"
    return match.group(1)


class Person:
    """Someone using a service's pages over httpx, as a browser would: cookies kept, pages asked
    for as HTML, forms posted with the CSRF token read from the page they are on."""

    def __init__(self, client: httpx.AsyncClient) -> None:
        self.client = client

    async def get(self, path: str, **kwargs: Any) -> httpx.Response:
        return await self.client.get(path, headers=BROWSER, **kwargs)

    async def post(
        self, path: str, data: dict[str, Any] | None = None, *, form_page: str | None = None, csrf: bool = True
    ) -> httpx.Response:
        """Post `data` as the form on `form_page` (default: the same path) would; `csrf=False`
        leaves the token out, as a forged form would."""
        body = dict(data or {})
        if csrf:
            body["csrf_token"] = csrf_from((await self.get(form_page or path)).text)
        return await self.client.post(path, data=body, headers=BROWSER)

    submit = post


class RunningService:
    """A service app running in this event loop with its lifespan, and HTTP clients for it.

    `client` is a member of the public (nobody signed in). `staff`, `governor` and `admin` are
    programs holding an API token of that role, for the routes that need one (`as_role` makes more).
    """

    def __init__(self, app: FastAPI, client: httpx.AsyncClient) -> None:
        self.app = app
        self.client = client
        self.kit: ServiceKit = app.state.kit
        self._clients: dict[str, httpx.AsyncClient] = {}

    @property
    def db(self) -> Database:
        return self.kit.db

    @property
    def staff(self) -> httpx.AsyncClient:
        return self._clients["staff"]

    @property
    def governor(self) -> httpx.AsyncClient:
        return self._clients["governor"]

    @property
    def admin(self) -> httpx.AsyncClient:
        return self._clients["admin"]

    async def as_role(self, role: str, name: str | None = None) -> httpx.AsyncClient:
        """A new client holding a fresh API token of `role` (closed with the service)."""
        from forum_shared import use_cases

        _row, token = await use_cases.create_token(self.db, "system", name=name or f"Test {role} program", role=role)
        client = httpx.AsyncClient(
            transport=self.client._transport,
            base_url=self.client.base_url,
            headers={"authorization": f"Bearer {token}"},
        )
        self._clients.setdefault(role, client)
        self._clients[f"{role}:{token}"] = client
        return client

    async def add_account(
        self, email: str, role: str, password: str = TEST_PASSWORD, name: str | None = None
    ) -> dict[str, Any]:
        """A person's account (for signing in through pages), made as `forum admin create` would."""
        from forum_shared import use_cases
        from forum_shared.identity import passwords

        return await use_cases.create_account(
            self.db,
            "system",
            email=email,
            name=name or email.split("@")[0].replace(".", " ").title(),
            password_hash=await passwords.hash_password(password),
            role=role,
        )

    async def person(self, role: str | None = None) -> Person:
        """A member of the public in a browser, or (given a role) someone signed in through the
        sign-in page with a new account of that role."""
        client = httpx.AsyncClient(transport=self.client._transport, base_url=self.client.base_url)
        self._clients[f"person:{id(client)}"] = client
        someone = Person(client)
        if role:
            email = f"{role}.{uuid.uuid4().hex[:8]}@example.org"
            await self.add_account(email, role)
            signed = await someone.post("/sign-in", {"email": email, "password": TEST_PASSWORD, "next": "/"})
            assert signed.status_code == 303, signed.text
        return someone

    async def wait_subscribed(self, *names: str, timeout: float = 15) -> None:
        """Wait until the named consumers (default: all) are subscribed; a consumer of a stream that
        does not exist yet keeps waiting, so name the ones a test needs."""
        expected = set(names or self.kit.consumers.items)
        await wait_for(lambda: expected <= self.kit.messaging.subscribed, timeout, "consumers subscribed")

    @contextlib.asynccontextmanager
    async def serve_http(self, port: int | None = None) -> AsyncIterator[str]:
        """Serve the app over real HTTP on `port` or a free one (for a browser); yields its base URL."""
        import uvicorn

        from forum_shared.serve import uvicorn_options

        port = port or free_port("127.0.0.1")
        server = uvicorn.Server(
            uvicorn.Config(self.app, host="127.0.0.1", port=port, lifespan="off", log_level="warning",
                           **uvicorn_options(self.kit.settings))
        )
        task = asyncio.create_task(server.serve())
        try:
            await wait_for(lambda: server.started or task.done(), 15, "the HTTP server to start")
            if task.done():
                task.result()
            yield f"http://127.0.0.1:{port}"
        finally:
            server.should_exit = True
            await asyncio.wait_for(task, 10)

    async def aclose(self) -> None:
        for client in set(self._clients.values()):
            await client.aclose()


@contextlib.asynccontextmanager
async def run_service(create_app: Callable[..., Any], settings: ServiceSettings) -> AsyncIterator[RunningService]:
    app = create_app(settings)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            service = RunningService(app, client)
            for role in ("staff", "governor", "admin"):
                await service.as_role(role)
            try:
                yield service
            finally:
                await service.aclose()


@pytest.fixture(autouse=True)
def cheap_password_hashing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Real argon2 with its cheapest parameters, so tests spend no time hashing passwords."""
    from argon2 import PasswordHasher
    from argon2.profiles import CHEAPEST

    from forum_shared.identity import passwords

    monkeypatch.setattr(passwords, "hasher", PasswordHasher.from_parameters(CHEAPEST))
    monkeypatch.setattr(passwords, "_unknown_account_hash", None)


class MailServer:
    """A real SMTP server (aiosmtpd) for a test, keeping each message it is given as a .eml file:
    pass `mail_url=mail_server.url, mail_folder=mail_server.folder` into a service's settings."""

    def __init__(self, folder: Path) -> None:
        from forum_shared.mail.catcher import MailCatcher

        self.folder = folder
        self.catcher = MailCatcher(folder)

    @property
    def url(self) -> str:
        return self.catcher.url

    def start(self) -> None:
        self.catcher.start()

    def stop(self) -> None:
        """Stop taking mail, as a mail server that is down (`start()` again on the same port)."""
        self.catcher.stop()

    def messages(self) -> list[Any]:
        """Every message received, oldest first, as `email.message.EmailMessage`."""
        from forum_shared.mail.catcher import kept_messages

        return [message for _, message in reversed(kept_messages(self.folder))]

    async def wait_for(self, to: str | None = None, subject: str = "", timeout: float = 15) -> Any:
        """The first message received to `to` (any, if None) whose subject contains `subject`."""

        def found() -> Any:
            for message in self.messages():
                if (to is None or to.lower() in str(message["To"]).lower()) and subject in str(message["Subject"]):
                    return message
            return None

        return await wait_for(found, timeout, f"an email to {to} about {subject!r}")


@pytest.fixture
def mail_server(tmp_path: Path) -> Any:
    server = MailServer(tmp_path / "mail")
    server.start()
    yield server
    server.stop()


def settings_for(settings_class: type[ServiceSettings], **values: Any) -> ServiceSettings:
    """Settings for a test: fast retries and polling, no environment involved."""
    defaults = {
        # Tests act as many members of the public from one address; rate-limit tests set their own.
        "public_form_rate_limit": 10_000,
        "retry_backoff_seconds": 0.05,
        "outbox_poll_seconds": 0.2,
        "max_deliver": 3,
        "mail_retry_seconds": 0.2,
        "mail_poll_seconds": 0.2,
        "log_level": "WARNING",
    }
    return settings_class(**{**defaults, **values})


async def wait_for(predicate: Callable[[], Any], timeout: float = 15, what: str = "condition") -> Any:
    """Poll `predicate` (sync or async) until it returns something truthy."""
    deadline = time.monotonic() + timeout
    while True:
        result = predicate()
        if asyncio.iscoroutine(result):
            result = await result
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout}s waiting for {what}")
        await asyncio.sleep(0.05)


async def _admin_connection(server: NatsServer | str, stream: str) -> Any:
    return await nats.connect(server) if isinstance(server, str) else await server.connect_admin(stream)


async def read_stream(server: NatsServer | str, stream: str, subject: str | None = None) -> list[Any]:
    """Every message stored in a stream, in order (to check for duplicates and order), read as the
    administrator of the account that holds it (or from a bare server at a URL)."""
    nc = await _admin_connection(server, stream)
    try:
        js = nc.jetstream()
        try:
            info = await js.stream_info(stream)
        except nats.js.errors.NotFoundError:
            return []
        messages = []
        for seq in range(max(info.state.first_seq, 1), info.state.last_seq + 1):
            with contextlib.suppress(nats.js.errors.NotFoundError):
                msg = await js.get_msg(stream, seq)
                if subject is None or msg.subject == subject:
                    messages.append(msg)
        return messages
    finally:
        await nc.close()


async def published_events(server: NatsServer | str, event_type: Any, mentioning: str = "") -> list[Any]:
    """The events of one type its owner has published, that mention `mentioning` (e.g. an id)."""
    from forum_shared.events import Envelope, stream_for

    messages = await read_stream(server, stream_for(event_type.owner), event_type.subject())
    return [Envelope.decode(m.headers, m.data).data for m in messages if mentioning.encode() in m.data]


@pytest.fixture
def published(nats_server: NatsServer) -> Callable[..., Awaitable[list[Any]]]:
    """`await published(MeetingScheduled, meeting_id)`: what the service under test published."""

    async def events(event_type: Any, mentioning: str = "") -> list[Any]:
        return await published_events(nats_server, event_type, mentioning)

    return events


async def _as_owner(server: NatsServer | str, owner: str) -> Any:
    return await nats.connect(server) if isinstance(server, str) else await server.connect(f"service-{owner}")


async def ensure_stream(server: NatsServer | str, owner: str) -> None:
    """Create an owner's stream as the owner would, unless it exists already (for tests of a
    consumer whose owner service is not running)."""
    nc = await _as_owner(server, owner)
    try:
        js = nc.jetstream()
        try:
            await js.stream_info(owner.upper())
        except nats.js.errors.NotFoundError:
            from forum_shared.streams import own_stream_config

            await js.add_stream(own_stream_config(owner, ServiceSettings()))
    finally:
        await nc.close()


async def deliver_event(server: NatsServer | str, event: Any, *, msg_id: str | None = None) -> Any:
    """Publish an event (or envelope) into its owner's stream as the owner's outbox relay would,
    with the owner's own key. A different `msg_id` delivers the same event again past JetStream's
    duplicate check, so only the consumer's inbox can tell it was already processed."""
    from forum_shared.events import Envelope
    from forum_shared.events.event import source_of

    envelope = event if isinstance(event, Envelope) else Envelope.wrap(event, source=source_of(event.owner))
    owner = type(envelope.data).owner
    await ensure_stream(server, owner)
    nc = await _as_owner(server, owner)
    try:
        headers = {**envelope.headers(), "Nats-Msg-Id": msg_id or envelope.id}
        await nc.jetstream().publish(envelope.subject, envelope.body(), headers=headers, stream=owner.upper())
    finally:
        await nc.close()
    return envelope


@pytest.fixture
def deliver(nats_server: NatsServer) -> Callable[..., Awaitable[Any]]:
    """`await deliver(event)`: another service's event (or envelope) in its owner's stream, as the
    owner's outbox would publish it. `again=True` sends the same event (same id) under a new
    Nats-Msg-Id, past JetStream's duplicate check, so only the consumer's inbox can tell."""

    async def send(event: Any, *, again: bool = False) -> Any:
        msg_id = f"again-{uuid.uuid4()}" if again else None
        return await deliver_event(nats_server, event, msg_id=msg_id)

    return send
