"""The bare web app the HTTP paths are compared with: FastAPI + SQLAlchemy async under uvicorn,
one worker, as the services run, and nothing else: no sign-in, audit, outbox, idempotency keys,
metrics or pages.

    POST /feedback     one INSERT of a row like a piece of feedback, in one transaction (intake)
    POST /escalations  the same, then one JetStream publish once it is committed (end to end)
    GET  /health

`python -m benchmarks.baselines.app`, configured by BASELINE_PORT, BASELINE_DATABASE_URL and
(for /escalations) BASELINE_NATS_URL. On SQLite it uses WAL with synchronous=NORMAL, as the forum
does, and lets one writer in at a time with an asyncio lock (letting aiosqlite connections fight
over SQLite's lock would be slower than anyone would write it).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import uuid
from collections.abc import AsyncIterator
from datetime import UTC, datetime
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic import BaseModel, Field
from sqlalchemy import JSON, Boolean, Column, DateTime, MetaData, String, Table, Text, event, insert
from sqlalchemy.ext.asyncio import create_async_engine

metadata = MetaData()
feedback = Table(
    "feedback",
    metadata,
    Column("id", String(36), primary_key=True),
    Column("text", Text, nullable=False),
    Column("area", String(100)),
    Column("themes", JSON, nullable=False),
    Column("polarity", String(16)),
    Column("safeguarding_concern", Boolean, nullable=False),
    Column("channel", String(32), nullable=False),
    Column("status", String(16), nullable=False),
    Column("received_at", DateTime(timezone=True), nullable=False),
)


class FeedbackIn(BaseModel):
    text: str = Field(min_length=1, max_length=10_000)
    area: str | None = Field(default=None, max_length=100)
    themes: list[str] = Field(default_factory=list, max_length=20)
    polarity: str | None = None
    safeguarding_concern: bool = False


URL = os.environ.get("BASELINE_DATABASE_URL", "sqlite+aiosqlite:///baseline.db")
SQLITE = URL.startswith("sqlite")
engine = (create_async_engine(URL, connect_args={"timeout": 30}) if SQLITE
          else create_async_engine(URL, pool_size=20, max_overflow=20))
writer = asyncio.Lock() if SQLITE else contextlib.nullcontext()

if SQLITE:
    @event.listens_for(engine.sync_engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=NORMAL")
        cur.close()


state: dict[str, Any] = {}


@contextlib.asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    async with engine.begin() as conn:
        await conn.run_sync(metadata.create_all)
    if nats_url := os.environ.get("BASELINE_NATS_URL"):
        import nats
        from nats.js.api import StreamConfig
        from nats.js.errors import BadRequestError

        state["nc"] = await nats.connect(nats_url)
        state["js"] = state["nc"].jetstream()
        with contextlib.suppress(BadRequestError):
            await state["js"].add_stream(StreamConfig(name="BASELINE", subjects=["baseline.>"]))
    yield
    if "nc" in state:
        await state["nc"].close()
    await engine.dispose()


app = FastAPI(lifespan=lifespan)


async def _insert(data: FeedbackIn) -> dict[str, Any]:
    row = {"id": str(uuid.uuid4()), **data.model_dump(), "channel": "partner", "status": "new",
           "received_at": datetime.now(UTC)}
    async with writer, engine.begin() as conn:
        await conn.execute(insert(feedback).values(**row))
    return row


@app.post("/feedback", status_code=201)
async def receive(data: FeedbackIn) -> dict[str, Any]:
    return await _insert(data)


@app.post("/escalations", status_code=201)
async def escalate(data: FeedbackIn) -> dict[str, Any]:
    row = await _insert(data)
    body = json.dumps({"id": row["id"], "summary": "Safeguarding concern raised"}).encode()
    await state["js"].publish("baseline.escalated", body, stream="BASELINE", headers={"Nats-Msg-Id": row["id"]})
    return row


@app.get("/health")
async def health() -> dict[str, str]:
    return {"status": "ok"}


if __name__ == "__main__":
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ.get("BASELINE_PORT", "8199")), log_level="warning")
