"""Who may do what: FastAPI dependencies for signed-in people (cookie) and programs (API token).

`require_role("staff", "admin")` lets those roles through and otherwise, for a browser asking for a
page, redirects to sign-in (nobody signed in) or shows the 403 page (wrong role); a program gets
401 or 403 JSON. Public routes simply do not use it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Annotated

from fastapi import Depends, Request

from forum_shared.deps import get_db
from forum_shared.errors import ForumError
from forum_shared.identity.principal import ROLE_NAMES, ROLES, TOKEN_ROLES, Principal
from forum_shared.identity.sessions import principal_for_session
from forum_shared.identity.tokens import principal_for_token
from forum_shared.ui.negotiation import SignInRequired
from forum_shared.ui.problems import may_refuse


class NotAllowed(ForumError):
    status_code = 403


async def remember_signed_in(request: Request) -> None:
    """Runs before every route: notes who is signed in by cookie, so every page's header can say.

    Only the sign-in cookie is looked at here (it exists only once accounts do); an Authorization
    header is read only by routes that ask for a role, since some routes check their own keys.
    """
    ui = request.app.state.kit.ui
    token = request.cookies.get(ui.session_cookie)
    principal = None
    if token:
        settings = request.app.state.kit.settings
        principal = await principal_for_session(
            await get_db(request), token, timedelta(minutes=settings.session_idle_minutes)
        )
    request.state.principal = principal


@may_refuse(401)  # a token that is not valid
async def current_principal(request: Request) -> Principal | None:
    """The program (bearer token) or person (cookie) making this request, or None."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    if scheme.lower() == "bearer":
        principal = await principal_for_token(await get_db(request), token) if token.strip() else None
        if principal is None:
            raise SignInRequired(
                "This API token is not valid or was revoked: ask the service's administrator for a new one."
            )
        request.state.principal = principal
        return principal
    if not hasattr(request.state, "principal"):
        await remember_signed_in(request)
    signed_in: Principal | None = request.state.principal
    return signed_in


def require_role(*roles: str) -> Callable[[Request], Awaitable[Principal]]:
    """A dependency that returns the Principal if they hold one of `roles`, else refuses."""
    unknown = set(roles) - set(TOKEN_ROLES)
    if unknown or not roles:
        raise ValueError(f"roles must be among {TOKEN_ROLES}, not {sorted(unknown) or 'none'}")

    async def dependency(request: Request) -> Principal:
        principal = await current_principal(request)
        if principal is None:
            raise SignInRequired(
                "Sign in to use this, or send an API token as 'Authorization: Bearer <token>'."
            )
        if not principal.has_role(*roles):
            allowed = " or ".join(ROLE_NAMES[r].lower() for r in roles)
            raise NotAllowed(
                f"This is only for {allowed} accounts. You are signed in as {principal.name} "
                f"({ROLE_NAMES[principal.role].lower()}). Ask an administrator if you need access."
            )
        return principal

    dependency.__name__ = f"require_{'_or_'.join(roles)}"
    return may_refuse(401, 403)(dependency)


SignedIn = Annotated[Principal, Depends(require_role(*ROLES))]
StaffUser = Annotated[Principal, Depends(require_role("staff", "admin"))]
AdminUser = Annotated[Principal, Depends(require_role("admin"))]
GovernorUser = Annotated[Principal, Depends(require_role("governor", "admin"))]
MaybeSignedIn = Annotated[Principal | None, Depends(current_principal)]
