"""Who is making a request: a signed-in person or a partner organisation's program (API token)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "staff", "governor")
# A partner organisation's program may send what partners send (say, feedback) and nothing else;
# only API tokens hold this role, never a person's account.
TOKEN_ROLES = (*ROLES, "partner")
ROLE_NAMES = {"admin": "Administrator", "staff": "Staff", "governor": "Governor", "partner": "Partner program"}


@dataclass(frozen=True)
class Principal:
    kind: str  # "account" (a person in a browser) or "token" (a program)
    id: str
    name: str
    role: str

    @property
    def actor(self) -> str:
        """How the audit log names them: `account:<id>` or `token:<id>`."""
        return f"{self.kind}:{self.id}"

    def has_role(self, *roles: str) -> bool:
        return self.role in roles
