"""deploy/postgres/create-databases.sh, run for real: each service gets a database and a login role
of its own that reaches nothing else and has no power over the server, and a service migrates its
database as that role. The tests that need a server run only when FORUM_TEST_POSTGRES_URL is set;
each uses its own FORUM_DATABASE_PREFIX, so runs never clash, and drops what it made."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import subprocess
import uuid
from pathlib import Path

import asyncpg
import pytest
from sqlalchemy.engine import URL, make_url

from forum_shared.db import create_engine
from forum_shared.local import free_port
from forum_shared.migrations import upgrade
from forum_shared.testing import POSTGRES_ENV, postgres_admin_url, settings_for

from .services import NAMES

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "deploy" / "postgres" / "create-databases.sh"
SCRIPT_VARIABLES = ("FORUM_DATABASES", "FORUM_DATABASE_PREFIX", "FORUM_SERVICE_DATABASE_SQL")


def password_variable(service: str) -> str:
    return f"{service.upper()}_DB_PASSWORD"


def new_password(service: str) -> str:
    # Quotes, a backslash, a colon and a space: psql must quote it, not paste it into the SQL.
    return f"{service} it's \"{uuid.uuid4().hex}\" \\:x"


def clean_environment() -> dict[str, str]:
    """This process's environment without anything the script reads, so only a test's values count."""
    return {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("PG") and key not in SCRIPT_VARIABLES and not key.endswith("_DB_PASSWORD")
    }


def run_script(env: dict[str, str], *, source: bool = False) -> subprocess.CompletedProcess:
    """Run the script as the image runs an executable init script, or (`source`) as it runs one
    that is not executable: sourced into its own shell, which has `set -Eeo pipefail`."""
    command = ["bash", str(SCRIPT)]
    if source:
        command = ["bash", "-c", 'set -Eeo pipefail; . "$1"; echo "init shell continues with options $-"', "-",
                   str(SCRIPT)]
    return subprocess.run(command, env=env, capture_output=True, text=True, timeout=120)


def password_matches(stored: str | None, role: str, password: str) -> bool:
    """Whether `stored` (pg_authid.rolpassword) was made from `password`. The test server may trust
    every connection, so logging in would not show that the password arrived intact."""
    if stored is None:
        return False
    if stored.startswith("SCRAM-SHA-256$"):
        iterations_salt, keys = stored.removeprefix("SCRAM-SHA-256$").split("$")
        iterations, salt = iterations_salt.split(":")
        stored_key = keys.split(":")[0]
        salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(salt), int(iterations))
        client_key = hmac.digest(salted, b"Client Key", "sha256")
        return hmac.compare_digest(base64.b64encode(hashlib.sha256(client_key).digest()).decode(), stored_key)
    return stored == "md5" + hashlib.md5((password + role).encode()).hexdigest()


class Forum:
    """The script's databases and roles for one test, on the test server, under a prefix of its own."""

    def __init__(self, admin: URL) -> None:
        self.admin = admin
        self.prefix = f"t{uuid.uuid4().hex[:12]}_"
        self.passwords = {service: new_password(service) for service in NAMES}

    def name(self, service: str) -> str:
        return self.prefix + service

    def environment(self, services: tuple[str, ...] | None = None) -> dict[str, str]:
        env = clean_environment()
        env.update(
            PGHOST=self.admin.host or "127.0.0.1",
            PGPORT=str(self.admin.port or 5432),
            PGUSER=self.admin.username or "postgres",
            PGDATABASE=self.admin.database or "postgres",
            FORUM_DATABASE_PREFIX=self.prefix,
        )
        if self.admin.password:
            env["PGPASSWORD"] = self.admin.password
        if services is not None:
            env["FORUM_DATABASES"] = " ".join(services)
        for service in services or NAMES:
            env[password_variable(service)] = self.passwords[service]
        return env

    def create(self, services: tuple[str, ...] | None = None, *, source: bool = False) -> subprocess.CompletedProcess:
        result = run_script(self.environment(services), source=source)
        assert result.returncode == 0, result.stderr + result.stdout
        return result

    def url(self, service: str) -> str:
        """The service's SQLAlchemy URL, as its DATABASE_URL setting would hold it."""
        return URL.create(
            "postgresql+asyncpg", username=self.name(service), password=self.passwords[service],
            host=self.admin.host, port=self.admin.port or 5432, database=self.name(service),
        ).render_as_string(hide_password=False)

    async def connect_as(self, service: str, database_of: str | None = None) -> asyncpg.Connection:
        """Connect as `service`'s role to the database of `database_of` (default: its own)."""
        return await asyncpg.connect(
            host=self.admin.host, port=self.admin.port or 5432, user=self.name(service),
            password=self.passwords[service], database=self.name(database_of or service),
        )

    async def connect_admin(self, database: str | None = None) -> asyncpg.Connection:
        return await asyncpg.connect(
            host=self.admin.host, port=self.admin.port or 5432, user=self.admin.username,
            password=self.admin.password, database=database or self.admin.database,
        )

    async def made(self) -> tuple[set[str], set[str]]:
        """The databases and roles there are under this forum's prefix."""
        conn = await self.connect_admin()
        try:
            databases = await conn.fetch("SELECT datname FROM pg_database WHERE starts_with(datname, $1)", self.prefix)
            roles = await conn.fetch("SELECT rolname FROM pg_roles WHERE starts_with(rolname, $1)", self.prefix)
        finally:
            await conn.close()
        return {r["datname"] for r in databases}, {r["rolname"] for r in roles}

    async def drop(self) -> None:
        databases, roles = await self.made()
        conn = await self.connect_admin()
        try:
            for database in databases:
                await conn.execute(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)')
            for role in roles:
                await conn.execute(f'DROP ROLE IF EXISTS "{role}"')
        finally:
            await conn.close()


@pytest.fixture
async def forum():
    url = postgres_admin_url()
    if not url:
        pytest.skip(
            f"PostgreSQL tests skipped: set {POSTGRES_ENV} (e.g. postgresql://postgres@127.0.0.1:5432/postgres)"
        )
    made = Forum(make_url(url))
    try:
        yield made
    finally:
        await made.drop()


# -- with a server ------------------------------------------------------------------------------


@pytest.mark.postgres
async def test_each_service_gets_its_own_database_and_can_make_tables_in_it(forum):
    forum.create()
    for service in NAMES:
        conn = await forum.connect_as(service)
        try:
            await conn.execute("CREATE TABLE reached (note text)")
            await conn.execute("INSERT INTO reached VALUES ($1)", service)
            assert await conn.fetchval("SELECT note FROM reached") == service
            owners = await conn.fetchrow(
                "SELECT pg_get_userbyid(d.datdba) AS database, pg_get_userbyid(n.nspowner) AS schema"
                " FROM pg_database d, pg_namespace n WHERE d.datname = current_database() AND n.nspname = 'public'"
            )
            assert dict(owners) == {"database": forum.name(service), "schema": forum.name(service)}
        finally:
            await conn.close()


@pytest.mark.postgres
async def test_a_service_role_cannot_connect_to_another_services_database(forum):
    forum.create()
    for service in NAMES:
        for other in NAMES:
            if other == service:
                continue
            with pytest.raises(asyncpg.InsufficientPrivilegeError, match="permission denied for database"):
                await forum.connect_as(service, database_of=other)


@pytest.mark.postgres
async def test_a_service_role_has_no_power_over_the_server(forum):
    forum.create()
    admin = await forum.connect_admin()
    try:
        roles = await admin.fetch(
            "SELECT rolname, rolsuper, rolcreatedb, rolcreaterole, rolreplication, rolbypassrls, rolcanlogin,"
            " rolpassword FROM pg_authid WHERE starts_with(rolname, $1)", forum.prefix,
        )
    finally:
        await admin.close()
    assert {r["rolname"] for r in roles} == {forum.name(s) for s in NAMES}
    for role in roles:
        service = role["rolname"].removeprefix(forum.prefix)
        assert role["rolcanlogin"]
        assert not any(role[power] for power in
                       ("rolsuper", "rolcreatedb", "rolcreaterole", "rolreplication", "rolbypassrls"))
        assert password_matches(role["rolpassword"], role["rolname"], forum.passwords[service])

    conn = await forum.connect_as("feedback")
    try:
        assert not await conn.fetchval("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f'CREATE DATABASE "{forum.prefix}stolen"')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f'CREATE ROLE "{forum.prefix}intruder" LOGIN')
        with pytest.raises(asyncpg.InsufficientPrivilegeError):
            await conn.execute(f'ALTER ROLE "{forum.name("feedback")}" CREATEDB')
    finally:
        await conn.close()
    assert await forum.made() == ({forum.name(s) for s in NAMES}, {forum.name(s) for s in NAMES})


@pytest.mark.postgres
async def test_a_partner_running_one_service_gets_only_that_database(forum):
    # Only SIGNPOSTING_DB_PASSWORD is set: the others' passwords are not needed for it.
    result = forum.create(("signposting",))
    assert forum.name("signposting") in result.stdout
    assert await forum.made() == ({forum.name("signposting")}, {forum.name("signposting")})
    conn = await forum.connect_as("signposting")
    await conn.close()


@pytest.mark.postgres
async def test_running_it_again_keeps_the_data_and_takes_the_new_password(forum):
    forum.create(("meetings",))
    conn = await forum.connect_as("meetings")
    try:
        await conn.execute("CREATE TABLE kept (n int); INSERT INTO kept VALUES (1)")
    finally:
        await conn.close()

    forum.passwords["meetings"] = new_password("meetings")
    forum.create(("meetings",))

    conn = await forum.connect_as("meetings")
    try:
        assert await conn.fetchval("SELECT n FROM kept") == 1
    finally:
        await conn.close()
    admin = await forum.connect_admin()
    try:
        stored = await admin.fetchval("SELECT rolpassword FROM pg_authid WHERE rolname = $1", forum.name("meetings"))
    finally:
        await admin.close()
    assert password_matches(stored, forum.name("meetings"), forum.passwords["meetings"])


@pytest.mark.postgres
async def test_the_image_may_source_it_instead_of_running_it(forum):
    result = forum.create(("membership",), source=True)
    # The image's own shell goes on to its next init file, its options untouched.
    assert "init shell continues with options" in result.stdout
    assert "u" not in result.stdout.rsplit(" ", 1)[-1]
    assert await forum.made() == ({forum.name("membership")}, {forum.name("membership")})


@pytest.mark.postgres
async def test_a_service_migrates_its_database_as_its_own_role(forum):
    import signposting.app
    import signposting.config

    forum.create(("signposting",))
    settings = settings_for(
        signposting.config.Settings, database_url=forum.url("signposting"), nats_url="nats://127.0.0.1:1"
    )
    engine = create_engine(settings.database_url)
    try:
        await upgrade(engine, signposting.app.MIGRATIONS)
        # Again, as every later start does.
        await upgrade(engine, signposting.app.MIGRATIONS)
    finally:
        await engine.dispose()

    admin = await forum.connect_admin(forum.name("signposting"))
    try:
        tables = await admin.fetch("SELECT tablename, tableowner FROM pg_tables WHERE schemaname = 'public'")
    finally:
        await admin.close()
    assert "alembic_version" in {t["tablename"] for t in tables}
    assert len(tables) > 1
    assert {t["tableowner"] for t in tables} == {forum.name("signposting")}


# -- refusals, before any server is contacted ----------------------------------------------------


def environment_without_a_server(**values: str) -> dict[str, str]:
    """Nothing listens on this port: had the script gone on to psql, it would fail differently."""
    env = clean_environment()
    env.update(PGHOST="127.0.0.1", PGPORT=str(free_port()), PGUSER="postgres", FORUM_DATABASE_PREFIX="never_")
    env.update({password_variable(s): new_password(s) for s in NAMES})
    env.update(values)
    return env


def assert_refused(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode != 0, result.stdout
    assert "create-databases.sh:" in result.stderr
    assert all(word in result.stderr for word in words), result.stderr
    assert "psql" not in result.stderr and "connection" not in result.stderr, result.stderr
    assert "ready" not in result.stdout


@pytest.mark.parametrize("password", [None, "", "fifteen chars!!"], ids=["missing", "empty", "15-characters"])
@pytest.mark.parametrize("source", [False, True], ids=["run", "sourced"])
def test_a_missing_or_short_password_stops_it_naming_the_variable(password, source):
    env = environment_without_a_server()
    if password is None:
        del env["MEETINGS_DB_PASSWORD"]
    else:
        env["MEETINGS_DB_PASSWORD"] = password
    result = run_script(env, source=source)
    assert_refused(result, "MEETINGS_DB_PASSWORD", "16")
    assert "init shell continues" not in result.stdout


def test_a_missing_password_stops_it_before_the_services_listed_earlier_are_made():
    env = environment_without_a_server(FORUM_DATABASES="signposting,feedback")
    del env["FEEDBACK_DB_PASSWORD"]
    assert_refused(run_script(env), "FEEDBACK_DB_PASSWORD")


def test_only_the_listed_services_need_a_password():
    env = environment_without_a_server(FORUM_DATABASES="feedback")
    for service in NAMES:
        if service != "feedback":
            del env[password_variable(service)]
    result = run_script(env)
    # Past every check, it went on to the (absent) server for feedback alone.
    assert result.returncode != 0
    assert "DB_PASSWORD" not in result.stderr, result.stderr
    assert "psql" in result.stderr or "connection" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("values", "words"),
    [
        ({"FORUM_DATABASES": "membership signpost"}, ("unknown service 'signpost'",)),
        ({"FORUM_DATABASES": " , "}, ("FORUM_DATABASES names no service",)),
        ({"FORUM_DATABASE_PREFIX": 'x"; DROP ROLE postgres; --'}, ("FORUM_DATABASE_PREFIX",)),
        ({"FORUM_DATABASE_PREFIX": "p" * 60}, ("FORUM_DATABASE_PREFIX is too long",)),
        ({"FORUM_SERVICE_DATABASE_SQL": "/nowhere/service-database.sql"}, ("FORUM_SERVICE_DATABASE_SQL",)),
    ],
    ids=["unknown-service", "no-service", "odd-prefix", "long-prefix", "no-sql-file"],
)
def test_other_mistakes_are_refused_before_any_change(values, words):
    assert_refused(run_script(environment_without_a_server(**values)), *words)
