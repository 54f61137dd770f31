"""Who is making a request: a signed-in person or a partner organisation's program (API token)."""

from __future__ import annotations

from dataclasses import dataclass

ROLES = ("admin", "staff", "governor")
ROLE_NAMES = {"admin": "Administrator", "staff": "Staff", "governor": "Governor"}


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
