"""Dependencies the routes share: who is changing the directory."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Header, Request

from forum_shared.ui import Principal, StaffUser, current_principal
from forum_shared.ui.negotiation import SignInRequired


@dataclass(frozen=True)
class Editor:
    """A member of staff (or a staff program) changing the directory.

    `user` goes in the audit log; `name` in the listing's own history (HSDS `updated_by`).
    """

    user: Principal
    name: str


def editor(
    user: StaffUser,
    x_changed_by: Annotated[
        str | None,
        Header(max_length=200, description="For programs: the person the change is made for, kept in the listing's history."),
    ] = None,
) -> Editor:
    # A person signed in is named by their account; a program may name who it acts for.
    named = (x_changed_by or "").strip()
    return Editor(user, named if named and user.kind == "token" else user.name)


EditorDep = Annotated[Editor, Depends(editor)]


async def staff_or_nobody(request: Request) -> Principal | None:
    """Staff making this request, or None: for open routes that do a little more for staff.

    An unknown API token is treated as nobody here, so the open API never refuses a reader.
    """
    try:
        principal = await current_principal(request)
    except SignInRequired:
        return None
    return principal if principal is not None and principal.has_role("staff", "admin") else None


MaybeStaff = Annotated[Principal | None, Depends(staff_or_nobody)]
