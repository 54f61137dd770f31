"""The search path's baseline: the very SQL a search runs, run directly.

`capture` runs a search once through the service's own code and keeps every statement it sent to
the database, with its parameters, exactly as the driver got them; `replay` sends those
statements again through a plain SQLAlchemy async engine (same driver, no service code, no HTTP)
and fetches every row, which is the least any program answering that search must do.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from typing import Any

Statement = tuple[str, Any]


async def capture(database_url: str, search: Callable[[Any], Awaitable[Any]]) -> list[Statement]:
    """The statements `search(db)` runs against a `forum_shared.db.Database` of `database_url`."""
    from sqlalchemy import event

    from forum_shared.db import Database

    db = Database(database_url, pool_size=2)
    statements: list[Statement] = []

    def note(_conn: Any, _cursor: Any, statement: str, parameters: Any, _context: Any, _many: bool) -> None:
        statements.append((statement, parameters))

    event.listen(db.engine.sync_engine, "before_cursor_execute", note)
    try:
        await search(db)
    finally:
        await db.dispose()
    return statements


async def replay(engine: Any, statements: list[Statement]) -> float:
    """Run `statements` on one connection and fetch all their rows; returns the seconds taken."""
    began = time.perf_counter()
    async with engine.connect() as conn:
        for sql, parameters in statements:
            result = await conn.exec_driver_sql(sql, parameters)
            if result.returns_rows:
                result.all()
    return time.perf_counter() - began
