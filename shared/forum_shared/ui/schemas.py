"""JSON shapes of the kit's own routes: accounts, API tokens and the audit log."""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, EmailStr, Field

from forum_shared.dates import Moment
from forum_shared.identity import passwords
from forum_shared.text import Line

Role = Literal["admin", "staff", "governor"]
TokenRole = Literal["admin", "staff", "governor", "partner"]


class AccountCreate(BaseModel):
    email: EmailStr = Field(title="an email address", description="Used to sign in; stored lower-case.")
    name: Line = Field(
        title="their full name", min_length=1, max_length=200, description="Shown in the audit log."
    )
    role: Role = Field(title="a role", description="admin, staff or governor.")
    password: str = Field(
        title="a password",
        min_length=passwords.MIN_LENGTH,
        max_length=passwords.MAX_LENGTH,
        description="The first password; give it to the person privately and ask them to change it.",
    )


class AccountUpdate(BaseModel):
    role: Role | None = Field(default=None, description="A new role.")
    disabled: bool | None = Field(
        default=None, description="True stops the account signing in (and signs it out)."
    )
    password: str | None = Field(
        default=None,
        min_length=passwords.MIN_LENGTH,
        max_length=passwords.MAX_LENGTH,
        description="A new password; signs the account out everywhere.",
    )


class AccountPublic(BaseModel):
    id: str
    email: str
    name: str
    role: Role
    created_at: Moment
    last_signed_in_at: Moment | None
    disabled_at: Moment | None


class ApiTokenCreate(BaseModel):
    name: Line = Field(
        title="what the token is for", min_length=1, max_length=200, description="e.g. 'SUN Network import'."
    )
    role: TokenRole = Field(
        title="a role",
        description="What the token may do: the same as an account with this role; 'partner' only sends "
        "what partner organisations send, such as feedback.",
    )


class ApiTokenPublic(BaseModel):
    id: str
    name: str
    prefix: str = Field(description="The token's first characters, to recognise it.")
    role: TokenRole
    created_at: Moment
    created_by: str | None = Field(description="Id of the account that made it.")
    last_used_at: Moment | None = Field(description="Updated at most once a minute.")
    revoked_at: Moment | None


class ApiTokenCreated(ApiTokenPublic):
    token: str = Field(description="Shown this once only: send it as 'Authorization: Bearer <token>'.")


class AuditEntryPublic(BaseModel):
    id: int
    at: Moment
    actor: str = Field(description="account:<id>, token:<id>, anonymous or system.")
    actor_name: str | None
    action: str = Field(description="What was done, e.g. account.signed_in or feedback.escalated.")
    target: str | None = Field(description="What it was done to, e.g. account:<id>.")
    details: dict[str, Any]


class AuditEntriesPublic(BaseModel):
    items: list[AuditEntryPublic]
    total: int
