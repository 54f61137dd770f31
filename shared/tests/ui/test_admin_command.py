"""`forum admin create`: the first administrator, made against the service's own database."""

import asyncio
import io
import sys
import textwrap

import pytest

from forum_shared.cli import main

from .conftest import start_web


@pytest.fixture
def toy_service(tmp_path, monkeypatch):
    """An installed service package `toysvc`, whose settings read TOYSVC_… from the environment."""
    package = tmp_path / "toysvc"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "config.py").write_text(
        textwrap.dedent("""
        from pydantic_settings import SettingsConfigDict
        from forum_shared.config import ServiceSettings

        class Settings(ServiceSettings):
            model_config = SettingsConfigDict(env_prefix="TOYSVC_", extra="ignore")
            migrate_on_start: bool = False
    """)
    )
    monkeypatch.syspath_prepend(str(tmp_path))
    yield "toysvc"
    for name in ("toysvc", "toysvc.config"):
        sys.modules.pop(name, None)


def run_command(monkeypatch, args: list[str], stdin: str) -> int:
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    return main(args)


async def test_the_first_administrator_is_created_and_can_sign_in(
    database_url, toy_service, monkeypatch, capsys
):
    url = await database_url("toy")
    web = await start_web(url)
    try:
        monkeypatch.setenv("TOYSVC_DATABASE_URL", url)
        args = [
            "admin",
            "create",
            "--service",
            toy_service,
            "--email",
            "Ada@Example.org",
            "--name",
            "Ada Admin",
            "--password-stdin",
        ]
        # The command runs its own event loop, as it does from a terminal.
        assert await asyncio.to_thread(run_command, monkeypatch, args, "a long admin passphrase\n") == 0
        assert "Created admin account for Ada Admin" in capsys.readouterr().out

        assert (await web.sign_in("ada@example.org", "a long admin passphrase")).status_code == 303
        assert (await web.client.get("/admin/accounts", headers={"accept": "text/html"})).status_code == 200
        entries = (await web.client.get("/audit-log", params={"action": "account.created"})).json()["items"]
        assert entries[0]["actor"] == "system" and entries[0]["details"] == {"role": "admin"}

        again = await asyncio.to_thread(run_command, monkeypatch, args, "a long admin passphrase\n")
        assert again == 1 and "already an account" in capsys.readouterr().err
    finally:
        await web.client.aclose()
        await web.kit.db.dispose()


def test_a_short_password_or_a_bad_email_is_refused_before_touching_the_database(
    toy_service, monkeypatch, capsys
):
    monkeypatch.setenv("TOYSVC_DATABASE_URL", "sqlite+aiosqlite:////nonexistent/never.db")
    base = ["admin", "create", "--service", toy_service, "--name", "Ada", "--password-stdin"]
    assert run_command(monkeypatch, [*base, "--email", "ada@example.org"], "short\n") == 2
    assert "12 characters or more" in capsys.readouterr().err
    assert run_command(monkeypatch, [*base, "--email", "not-an-email"], "a long admin passphrase\n") == 2
    assert "email address in the correct format" in capsys.readouterr().err


def test_an_unknown_service_is_named_in_the_error(monkeypatch, capsys):
    args = [
        "admin",
        "create",
        "--service",
        "nosuchservice",
        "--email",
        "a@example.org",
        "--name",
        "A",
        "--password-stdin",
    ]
    assert run_command(monkeypatch, args, "a long admin passphrase\n") == 2
    assert "no service called 'nosuchservice'" in capsys.readouterr().err
