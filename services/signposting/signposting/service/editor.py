"""Who is changing the directory."""

from __future__ import annotations

from dataclasses import dataclass

from forum_shared.identity.principal import Principal


@dataclass(frozen=True)
class Editor:
    """A member of staff (or a staff program) changing the directory.

    `user` goes in the audit log; `name` in the listing's own history (HSDS `updated_by`).
    """

    user: Principal
    name: str

    @classmethod
    def of(cls, user: Principal, changed_by: str | None = None) -> Editor:
        """A person signed in is named by their account; a program may name who it acts for."""
        named = (changed_by or "").strip()
        return cls(user, named if named and user.kind == "token" else user.name)
