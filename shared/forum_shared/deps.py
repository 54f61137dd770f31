"""What a route asks FastAPI for, the same way in every service and in the kit's own routes:
`db: DbDep` is the database of the service answering the request.

    @router.post("/feedback")
    async def give(body: FeedbackCreate, user: StaffUser, db: DbDep) -> FeedbackPublic:
        return await intake.give(db, user, body)

Code that is not a route (a dependency, a middleware) awaits `get_db(request)`. Every dependency
is `async def`, so no request waits for a worker thread to run one. Importable from
`forum_shared.web` too, where the services import it; it lives here, below the pages kit
(`forum_shared.ui`), so the kit's own routes can use it without importing the composition.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from forum_shared.db import Database


async def get_db(request: Request) -> Database:
    """The database of the service answering `request` (its `ServiceKit`'s)."""
    db: Database = request.app.state.kit.db
    return db


DbDep = Annotated[Database, Depends(get_db)]
