"""Dependencies the routes share: who is changing the directory, and whether staff are reading."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from forum_shared.identity.principal import Principal
from forum_shared.ui import StaffUser, current_principal
from forum_shared.ui.negotiation import SignInRequired
from signposting.service.editor import Editor


def editor(
    user: StaffUser,
    x_changed_by: Annotated[
        str | None,
        Header(
            max_length=200,
            description="For programs: the person the change is made for, kept in the listing's history.",
        ),
    ] = None,
) -> Editor:
    return Editor.of(user, x_changed_by)


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
