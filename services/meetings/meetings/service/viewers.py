"""Who is asking: staff see everything; everyone else sees public meetings, without which members
came, and pop-up forums without who facilitated them."""

from __future__ import annotations

from forum_shared.identity.principal import Principal

STAFF_ROLES = ("staff", "admin")


def is_staff(viewer: Principal | str | None) -> bool:
    return isinstance(viewer, Principal) and viewer.has_role(*STAFF_ROLES)
