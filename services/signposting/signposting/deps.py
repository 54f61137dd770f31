"""Dependencies the routes share: who is changing the directory."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header

from forum_shared.text import Line
from forum_shared.ui import StaffUser
from signposting.service.editor import Editor


async def editor(
    user: StaffUser,
    x_changed_by: Annotated[
        Line | None,
        Header(
            max_length=200,
            description="For programs: the person the change is made for, kept in the listing's history.",
        ),
    ] = None,
) -> Editor:
    return Editor.of(user, x_changed_by)


EditorDep = Annotated[Editor, Depends(editor)]
