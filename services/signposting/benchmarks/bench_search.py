"""How fast is directory search with thousands of services?

Loads a generated directory (default 3,000 services at 600 locations across Cambridgeshire and
Peterborough) into a fresh SQLite database through the real import, then times the searches the
API runs — words, need, postcode, postcode with proximity, area, day, language, and a mix — and
prints p50 and p95 per kind. A measurement, not a test: nothing here passes or fails.

    uv run python services/signposting/benchmarks/bench_search.py [--services 3000] [--repeat 60]
    uv run python services/signposting/benchmarks/bench_search.py --database-url postgresql+asyncpg://…/empty_db
"""

from __future__ import annotations

import argparse
import asyncio
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from forum_shared.db import Database
from forum_shared.identity.principal import Principal
from forum_shared.migrations import upgrade
from signposting import domain
from signposting.app import MIGRATIONS
from signposting.domain import ServiceQuery
from signposting.hsds_files import Batch
from signposting.schemas.hsds import LocationCreate, OrganizationCreate, TaxonomyCreate, TaxonomyTermCreate
from signposting.schemas.services import ServiceCreate
from signposting.service import finding, transfer
from signposting.service.editor import Editor

BENCHMARK = Editor(Principal("token", "benchmark", "benchmark", "staff"), "benchmark")

NEEDS = [
    "Mental health", "Anxiety", "Depression", "Carers", "Loneliness", "Bereavement", "Housing", "Debt",
    "Employment", "Substance use", "Eating disorders", "Parenting", "Young people", "Older people", "Autism",
    "Hearing voices", "Domestic abuse", "Physical activity", "Creative arts", "Peer support",
]
WORDS = ["support", "group", "cafe", "walk", "drop-in", "helpline", "club", "circle", "network", "project"]
LANGUAGES = [("English", "en"), ("Polish", "pl"), ("Lithuanian", "lt"), ("Portuguese", "pt"), ("Romanian", "ro")]
DAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]


def generate(count: int, rng: random.Random) -> Batch:
    taxonomy = TaxonomyCreate(id=uuid.uuid4(), name="Needs", description="What people need help with.")
    terms = [TaxonomyTermCreate(id=uuid.uuid4(), name=n, description=n, taxonomy_id=taxonomy.id) for n in NEEDS]
    codes = list(domain.outward_codes().values())
    orgs = [
        OrganizationCreate(id=uuid.uuid4(), name=f"Organisation {i}", description="A local charity.")
        for i in range(count // 10 + 1)
    ]
    places = []
    for i in range(max(count // 5, 1)):
        code = rng.choice(codes)
        places.append(
            LocationCreate(
                id=uuid.uuid4(),
                name=f"Venue {i}",
                latitude=code.latitude + rng.uniform(-0.02, 0.02),
                longitude=code.longitude + rng.uniform(-0.03, 0.03),
                addresses=[
                    {
                        "address_1": f"{i} High Street",
                        "city": code.places[0],
                        "state_province": "Cambridgeshire",
                        "postal_code": f"{code.code} {rng.randint(1, 9)}AA",
                        "country": "GB",
                    }
                ],
                accessibility=[{"description": rng.choice(["Wheelchair accessible", "Hearing loop", "Stairs only"])}],
            )
        )
    services = []
    for i in range(count):
        place = rng.choice(places)
        code = domain.outward_code_of(place.addresses[0].postal_code)
        area = rng.choice([code, domain.outward_codes()[code].district, "Cambridgeshire and Peterborough"])
        language = rng.choice(LANGUAGES)
        services.append(
            ServiceCreate(
                id=uuid.uuid4(),
                organization_id=rng.choice(orgs).id,
                name=f"{rng.choice(NEEDS)} {rng.choice(WORDS)} {i}",
                description=" ".join(rng.choice(NEEDS + WORDS) for _ in range(25)),
                taxonomy_term_ids=[t.id for t in rng.sample(terms, 2)],
                service_areas=[{"name": area}],
                schedules=[
                    {
                        "freq": "WEEKLY",
                        "byday": ",".join(rng.sample(DAYS, 2)),
                        "opens_at": "10:00",
                        "closes_at": "15:00",
                    }
                ],
                languages=[{"name": language[0], "code": language[1]}],
                service_at_locations=[{"location_id": place.id}],
            )
        )
    return Batch([taxonomy], terms, orgs, places, services)


def queries(batch: Batch) -> dict[str, ServiceQuery]:
    anxiety = str(batch.terms[1].id)
    return {
        "list, page 1": ServiceQuery(),
        "list, page 50": ServiceQuery(page=50),
        "words": ServiceQuery(search="peer support"),
        "need": ServiceQuery(taxonomy_term_ids=(anxiety,)),
        "postcode": ServiceQuery(postcode="PE13 1AA"),
        "postcode + 10 km": ServiceQuery(postcode="PE1", proximity=10_000),
        "postcode + 40 km": ServiceQuery(postcode="CB4", proximity=40_000),
        "area (district)": ServiceQuery(area="Huntingdonshire"),
        "day + language": ServiceQuery(day="TH", language="pl"),
        "need + postcode + words": ServiceQuery(taxonomy_term_ids=(anxiety,), postcode="CB1", search="group"),
    }


async def run(args: argparse.Namespace) -> None:
    with tempfile.TemporaryDirectory(prefix="bench-signposting-") as folder:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(folder) / 'bench.db'}"
        db = Database(url)
        await upgrade(db.engine, MIGRATIONS)
        rng = random.Random(6)
        batch = generate(args.services, rng)
        started = time.perf_counter()
        await transfer.import_batch(db, BENCHMARK, batch)
        print(
            f"imported {len(batch.services)} services, {len(batch.locations)} locations, "
            f"{len(batch.organizations)} organisations in {time.perf_counter() - started:.1f} s "
            f"({db.engine.dialect.name})"
        )
        print(f"{'search':<26}{'found':>7}{'p50 ms':>9}{'p95 ms':>9}")
        for name, query in queries(batch).items():
            timings, total = [], 0
            for _ in range(args.repeat):
                started = time.perf_counter()
                found = await finding.find_services(db, query)  # the page the API returns
                timings.append((time.perf_counter() - started) * 1000)
                total = found.total
            timings.sort()
            p95 = timings[min(len(timings) - 1, int(len(timings) * 0.95))]
            print(f"{name:<26}{total:>7}{statistics.median(timings):>9.1f}{p95:>9.1f}")
        await db.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=3000, help="how many services to load")
    parser.add_argument("--repeat", type=int, default=60, help="how many times to run each search")
    parser.add_argument("--database-url", help="an empty database to use instead of a temporary SQLite file")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
