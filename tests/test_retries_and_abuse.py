"""Retries and abuse: a client cut off in flight that sends its request again with the same
Idempotency-Key gets the first answer back, and nothing is stored twice (public and partner posts
alike); a made-up forwarded address does not dodge a rate limit."""

import asyncio
import uuid

from sqlalchemy import func, select

from feedback.store import feedback as feedback_table
from forum_shared.tables import idempotency_keys

from .services import start


async def _stored(fb) -> int:
    async with fb.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(feedback_table)) or 0)


async def test_a_retried_post_with_the_same_key_stores_one_row_and_answers_the_same(nats_server, database_url):
    async with await start("feedback", nats_server, database_url) as fb:
        key = {"Idempotency-Key": str(uuid.uuid4())}
        view = {"text": "The waiting room has no quiet corner", "area": "Fenland"}
        first = await fb.client.post("/feedback", json=view, headers=key)
        again = await fb.client.post("/feedback", json=view, headers=key)
        assert first.status_code == again.status_code == 201, first.text
        assert again.json() == first.json() and again.headers["idempotent-replayed"] == "true"
        assert await _stored(fb) == 1
        # The same key for another request is refused; a new key is a new request.
        other = await fb.client.post("/feedback", json={**view, "text": "Another view"}, headers=key)
        assert other.status_code == 422 and "different request" in other.json()["detail"]
        assert (await fb.client.post("/feedback", json=view, headers={"Idempotency-Key": "k2"})).status_code == 201
        assert await _stored(fb) == 2


async def test_copies_racing_each_other_commit_once(nats_server, database_url):
    async with await start("feedback", nats_server, database_url) as fb:
        partner = await fb.as_role("partner", "SUN Network import")
        key = {"Idempotency-Key": str(uuid.uuid4())}
        view = {"text": "Sent twice by a program that timed out", "themes": ["waiting times"]}
        answers = await asyncio.gather(*(partner.post("/partner/feedback", json=view, headers=key) for _ in range(4)))
        assert sorted({a.status_code for a in answers}) in ([201], [201, 409]), [a.text for a in answers]
        assert await _stored(fb) == 1
        replay = await partner.post("/partner/feedback", json=view, headers=key)
        assert replay.status_code == 201 and replay.json()["id"] == answers[0].json().get("id", replay.json()["id"])


async def test_a_refused_request_keeps_no_key_so_it_can_be_corrected(nats_server, database_url):
    async with await start("feedback", nats_server, database_url) as fb:
        key = {"Idempotency-Key": "retry-me"}
        assert (await fb.client.post("/feedback", json={"text": ""}, headers=key)).status_code == 422
        async with fb.db.read() as session:
            assert await session.scalar(select(func.count()).select_from(idempotency_keys)) == 0
        assert (await fb.client.post("/feedback", json={"text": "Now with words"}, headers=key)).status_code == 201
        bad = await fb.client.post("/feedback", json={"text": "x"}, headers={"Idempotency-Key": "a\x00b"})
        assert bad.status_code == 400


async def test_a_forwarded_address_does_not_dodge_the_rate_limit_unless_the_proxy_is_trusted(nats_server, database_url):
    import httpx

    for trusted, expected in (("", {429}), ("127.0.0.1", {201})):
        async with (
            await start("feedback", nats_server, database_url, public_form_rate_limit=2, trusted_proxies=trusted) as fb,
            fb.serve_http() as url,
            httpx.AsyncClient(base_url=url) as client,
        ):
            for _ in range(2):
                assert (await client.post("/feedback", json={"text": "Mine"})).status_code == 201
            assert (await client.post("/feedback", json={"text": "Too many"})).status_code == 429
            dodging = [
                await client.post("/feedback", json={"text": "Dodge"},
                                  headers={"X-Forwarded-For": f"198.51.100.{n}"})
                for n in range(5)
            ]
            assert {r.status_code for r in dodging} == expected, trusted
