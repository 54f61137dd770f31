"""Signposting someone, anonymously: staff record where the person lives (a district at most),
what they needed and what was suggested. Every record publishes `SignpostingGiven`, so the forum
can count signposting and unmet need without knowing who was signposted."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from sqlalchemy.ext.asyncio import AsyncSession

from forum_shared.db import Database
from forum_shared.errors import Invalid
from forum_shared.events.signposting import SignpostingGiven
from forum_shared.identity.principal import Principal
from forum_shared.unit_of_work import unit_of_work
from signposting import domain
from signposting.records import Signposting, SignpostingEntry
from signposting.schemas.signposting import SignpostingCreate
from signposting.store import directory, signposting


async def _needs(session: AsyncSession, needs: list[str]) -> list[str]:
    """Each need as a taxonomy term id when it names one (by id or name), else as lower-case words."""
    names = await directory.term_names(session)
    by_name = {domain.key(name): term_id for term_id, name in names.items()}
    resolved = []
    for need in needs:
        value = need.strip()
        resolved.append(value if value in names else by_name.get(domain.key(value), domain.key(value)))
    return list(dict.fromkeys(resolved))


async def record_signposting(db: Database, actor: Principal, data: SignpostingCreate) -> Signposting:
    """Record that someone was signposted; `Invalid` if a suggested service is not in the directory."""
    service_ids = list(dict.fromkeys(str(s) for s in data.service_ids))
    async with unit_of_work(db, actor, "signposting.recorded") as work:
        if service_ids:
            known = await directory.known_ids(work.session, "service", service_ids)
            unknown = [s for s in service_ids if s not in known]
            if unknown:
                raise Invalid(f"service_ids: there is no service with id {', '.join(unknown)} in the directory.")
        record = Signposting(
            id=str(uuid.uuid4()), given_at=datetime.now(UTC), area=domain.anonymous_area(data.area),
            needs=await _needs(work.session, data.needs), service_ids=service_ids,
        )
        await signposting.add_signposting(work.session, record)
        work.audit("signposting.recorded", f"signposting:{record.id}")
        await work.publish(
            SignpostingGiven(
                signposting_id=record.id,
                given_at=record.given_at,
                area=record.area,
                needs=record.needs,
                service_ids=service_ids,
            )
        )
        return record


async def signposting_count(db: Database) -> int:
    async with db.read() as session:
        return await signposting.signposting_count(session)


async def signposting_records(db: Database, offset: int, limit: int) -> list[SignpostingEntry]:
    """Signposting records, newest first, with the names of needs and services."""
    async with db.read() as session:
        records = await signposting.newest_signpostings(session, offset, limit)
        needs = await directory.term_names(session)
        names = await directory.service_names(session, list({s for r in records for s in r.service_ids}))
    return [
        SignpostingEntry(
            r.id,
            r.given_at,
            r.area,
            [needs.get(n, n) for n in r.needs],
            [names.get(s, "a service no longer listed") for s in r.service_ids],
        )
        for r in records
    ]
