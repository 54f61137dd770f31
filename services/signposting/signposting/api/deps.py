"""Dependencies the routes share."""

from typing import Annotated

from fastapi import Depends, Header


def changed_by(
    x_changed_by: Annotated[
        str | None,
        Header(max_length=200, description="Who is making the change, for the listing's history (until sign-in)."),
    ] = None,
) -> str:
    return (x_changed_by or "").strip() or "staff"


ChangedBy = Annotated[str, Depends(changed_by)]
