"""A toy service with a few pages of its own, built on the kit, to test the pages kit apart from
any real service: real SQLite (and PostgreSQL when set), real HTTP through httpx, no broker needed.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Annotated, Literal

import httpx
import pytest
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field
from sqlalchemy import text
from starlette.responses import RedirectResponse

from forum_shared import use_cases
from forum_shared.audit import record_audit
from forum_shared.config import ServiceSettings
from forum_shared.identity import passwords
from forum_shared.tables import kit_metadata
from forum_shared.testing import BROWSER, TEST_PASSWORD, csrf_from, settings_for
from forum_shared.ui import (
    Form,
    NavItem,
    Principal,
    StaffUser,
    notify,
    rate_limit,
    read_form,
    render,
    require_role,
)
from forum_shared.web import DbDep, ServiceKit

PASSWORD = TEST_PASSWORD


class ToySettings(ServiceSettings):
    migrate_on_start: bool = False


class NoteCreate(BaseModel):
    text: str = Field(title="your note", min_length=1, max_length=200)
    area: Literal["cambridge", "peterborough"] = Field(title="an area")
    needs: list[Literal["transport", "interpreter"]] = Field(default_factory=list, title="needs")


router = APIRouter()


@router.get("/notes/new")
async def new_note_page(request: Request):
    return render(request, "note.html", form=Form())


@router.post("/notes/new", dependencies=[Depends(rate_limit("public_form"))])
async def new_note(request: Request, db: DbDep):
    form = await read_form(request, NoteCreate, {"area": "Select the area your note is about"})
    if not form.ok:
        return render(request, "note.html", form=form, status_code=422)
    async with db.transaction() as session:
        await record_audit(session, "anonymous", "note.added", None, {"area": form.data.area})
    return notify(RedirectResponse("/notes/new", status_code=303), request, "Thank you for your note.")


@router.get("/staff/notes")
async def staff_notes(request: Request, user: StaffUser):
    return render(request, "note.html", form=Form(), staff=True)


@router.post("/staff/notes")
async def staff_add_note(request: Request, user: StaffUser, db: DbDep):
    form = await read_form(request, NoteCreate)
    async with db.transaction() as session:
        await record_audit(session, user, "note.added", "note:1", {"area": form.data.area})
    return RedirectResponse("/staff/notes", status_code=303)


@router.get("/api/notes")
async def api_notes(user: Annotated[Principal, Depends(require_role("staff", "admin"))]) -> dict:
    return {"kind": user.kind, "role": user.role, "name": user.name}


@router.post("/api/echo")
async def echo(request: Request) -> dict:
    return {"bytes": len(await request.body())}


@router.get("/api/database")
async def database_answers(db: DbDep) -> dict:
    async with db.read() as session:
        return {"answer": await session.scalar(text("SELECT 1"))}


@router.get("/boom")
async def boom():
    raise RuntimeError("a bug, with personal data in its message: jo@example.com")


TOY_TEMPLATES = Path(__file__).parent / "templates"


def make_kit(database_url: str, **settings) -> ServiceKit:
    return ServiceKit(
        name="toy",
        title="Toy service",
        settings=settings_for(ToySettings, database_url=database_url, **settings),
        migrations=None,
        templates=TOY_TEMPLATES,
        nav=[NavItem("Add a note", "/notes/new"), NavItem("Staff notes", "/staff/notes", ("staff", "admin"))],
    )


class Web:
    """The toy app over HTTP, with helpers for accounts and signing in."""

    def __init__(self, kit: ServiceKit, client: httpx.AsyncClient) -> None:
        self.kit = kit
        self.client = client

    async def add_account(
        self, email: str, role: str = "staff", password: str = PASSWORD, name: str | None = None
    ) -> dict:
        return await use_cases.create_account(
            self.kit.db,
            "system",
            email=email,
            name=name or email.split("@")[0].title(),
            password_hash=await passwords.hash_password(password),
            role=role,
        )

    async def add_token(self, role: str = "staff") -> tuple[dict, str]:
        return await use_cases.create_token(self.kit.db, "system", name="SUN Network import", role=role)

    async def form_token(self, path: str = "/sign-in") -> str:
        page = await self.client.get(path, headers=BROWSER)
        return csrf_from(page.text)

    async def csrf_header(self) -> dict[str, str]:
        """What script on our own pages sends with a bodiless POST: the token in a header."""
        return {"x-csrf-token": await self.form_token("/")}

    async def sign_in(self, email: str, password: str = PASSWORD, next: str = "/") -> httpx.Response:
        token = await self.form_token()
        return await self.client.post(
            "/sign-in",
            data={"email": email, "password": password, "next": next, "csrf_token": token},
            headers=BROWSER,
        )

    async def signed_in_as(self, role: str, email: str | None = None) -> dict:
        account = await self.add_account(email or f"{role}@example.org", role)
        assert (await self.sign_in(account["email"])).status_code == 303
        return account


async def start_web(database_url: str, **settings):
    kit = make_kit(database_url, **settings)
    async with kit.db.engine.begin() as conn:
        await conn.run_sync(kit_metadata.create_all)
    app = kit.create_app([router])
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    client = httpx.AsyncClient(transport=transport, base_url="http://testserver")
    return Web(kit, client)


@pytest.fixture
def web_settings() -> dict:
    """Settings for the toy app; a test may change them before asking for `web`."""
    return {"sign_in_max_failures": 3, "sign_in_rate_limit": 50, "public_form_rate_limit": 50}


@pytest.fixture
async def web(database_url, web_settings):
    async with _running_web(await database_url("toy"), web_settings) as w:
        yield w


@pytest.fixture
async def postgres_web(postgres_database_url, web_settings):
    """The toy app on PostgreSQL only, for what a database server can do to it."""
    async with _running_web(await postgres_database_url("toy"), web_settings) as w:
        yield w


@contextlib.asynccontextmanager
async def _running_web(url: str, settings: dict):
    w = await start_web(url, **settings)
    try:
        yield w
    finally:
        await w.client.aclose()
        await w.kit.db.dispose()
